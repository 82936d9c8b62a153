//! Items of a list across pages, fetched one page at a time as the caller asks.

use std::collections::VecDeque;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::decode::{typed, Body, Decode};
use super::Client;
use crate::core::error::GraphApiError;
use crate::core::models::Page;
use crate::core::operations::Expect;
use crate::core::paging::Pager;
use crate::core::request::RequestSpec;
use crate::core::schema::Schema;
use crate::transport::Transport;

/// Items of a list across pages. Pages are fetched one at a time, on demand.
#[derive(Debug)]
pub struct Paginated<T, I> {
    client: Client<T>,
    pager: Pager,
    items: &'static Schema,
    buffer: VecDeque<I>,
}

impl<T: Transport, I: DeserializeOwned> Paginated<T, I> {
    /// A walk starting at `first`, whose items are objects of `items`.
    pub(crate) fn new(client: Client<T>, first: RequestSpec, items: &'static Schema) -> Self {
        Paginated {
            client,
            pager: Pager::new(first),
            items,
            buffer: Default::default(),
        }
    }

    /// The next whole page decoded as `mode` says, or `None` after the last.
    pub(crate) async fn next_body(&mut self, mode: Decode) -> Result<Option<Body>, GraphApiError> {
        let Some(spec) = self.pager.next_request().cloned() else {
            return Ok(None);
        };
        let expect = Some(Expect::Page(self.items));
        let page = self.client.send(&spec, expect, mode).await?;
        self.pager.advance(page.paging().as_ref());
        Ok(Some(page))
    }

    /// The next whole page as normalised JSON, or `None` after the last.
    async fn next_page_value(&mut self) -> Result<Option<Value>, GraphApiError> {
        Ok(self.next_body(Decode::Parse).await?.map(Body::into_value))
    }

    /// The next whole page, or `None` after the last.
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// let mut list = client.conversations("me", &graph_conversations::ConversationsOptions {
    ///     platform: Some(graph_conversations::Platform::Messenger),
    ///     ..Default::default()
    /// })?;
    /// while let Some(page) = list.next_page().await? {
    ///     println!("{} threads", page.data.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn next_page(&mut self) -> Result<Option<Page<I>>, GraphApiError> {
        self.next_page_value().await?.map(typed).transpose()
    }

    /// The next item, or `None` after the last. Empty pages with `next` are skipped.
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// let mut list = client.conversations("me", &graph_conversations::ConversationsOptions {
    ///     platform: Some(graph_conversations::Platform::Messenger),
    ///     ..Default::default()
    /// })?;
    /// while let Some(thread) = list.next_item().await? {
    ///     println!("{}", thread.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn next_item(&mut self) -> Result<Option<I>, GraphApiError> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Ok(Some(item));
            }
            match self.next_page().await? {
                Some(page) => self.buffer.extend(page.data),
                None => return Ok(None),
            }
        }
    }

    /// Up to `limit` items.
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// let newest = client.messages("t_1", &Default::default())?.collect(50).await?;
    /// println!("{}", newest.len());
    /// # Ok(()) }
    /// ```
    pub async fn collect(&mut self, limit: usize) -> Result<Vec<I>, GraphApiError> {
        let mut out = Vec::new();
        while out.len() < limit {
            match self.next_item().await? {
                Some(item) => out.push(item),
                None => break,
            }
        }
        Ok(out)
    }
}
