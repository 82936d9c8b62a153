//! The operations for Rust callers: each runs its row of `core::operations` through one of three
//! helpers by result shape, so this file holds no request building of its own.

use serde::de::DeserializeOwned;

use super::decode::typed;
use super::paginated::Paginated;
use super::Client;
use crate::core::error::GraphApiError;
use crate::core::models::{Conversation, Message, Page};
use crate::core::operations::{self as op, Operation};
use crate::core::options::{
    ConversationsOptions, FindConversationOptions, GetOptions, ListConversationsOptions,
    ListMessagesOptions, MessagesOptions,
};
use crate::transport::Transport;

impl<T: Transport> Client<T> {
    /// An `Object` or `Page` operation: one request, decoded into `R`.
    async fn one<O, R: DeserializeOwned>(
        &self,
        operation: &Operation<O>,
        id: &str,
        options: &O,
    ) -> Result<R, GraphApiError> {
        let spec = operation.request(id, options)?;
        typed(self.fetch(&spec, operation.expect()).await?)
    }

    /// An `AllPages` operation: a walk that fetches pages as the caller asks.
    fn all<O, R: DeserializeOwned>(
        &self,
        operation: &Operation<O>,
        id: &str,
        options: &O,
    ) -> Result<Paginated<T, R>, GraphApiError>
    where
        T: Clone,
    {
        let first = operation.request(id, options)?;
        Ok(Paginated::new(self.clone(), first, operation.items))
    }

    /// One page of a Page's or Instagram account's threads (`GET /{page-id}/conversations`).
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// use graph_conversations::{ListConversationsOptions, Platform};
    /// let page = client
    ///     .list_conversations("me", &ListConversationsOptions {
    ///         platform: Some(Platform::Messenger),
    ///         limit: Some(25),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// for thread in &page.data {
    ///     println!("{} {}", thread.updated_time, thread.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_conversations(
        &self,
        page_id: &str,
        options: &ListConversationsOptions,
    ) -> Result<Page<Conversation>, GraphApiError> {
        self.one(&op::LIST_CONVERSATIONS, page_id, options).await
    }

    /// Every thread, page after page.
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// use graph_conversations::{ConversationsOptions, Platform};
    /// let mut threads = client.conversations("me", &ConversationsOptions {
    ///     platform: Some(Platform::Instagram),
    ///     ..Default::default()
    /// })?;
    /// while let Some(thread) = threads.next_item().await? {
    ///     println!("{}", thread.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn conversations(
        &self,
        page_id: &str,
        options: &ConversationsOptions,
    ) -> Result<Paginated<T, Conversation>, GraphApiError>
    where
        T: Clone,
    {
        self.all(&op::CONVERSATIONS, page_id, options)
    }

    /// The thread with one person (PSID or IGSID), or `None` when there is none.
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// use graph_conversations::{FindConversationOptions, Platform};
    /// let thread = client
    ///     .find_conversation("me", &FindConversationOptions {
    ///         platform: Some(Platform::Messenger),
    ///         user_id: "24000000000000001".into(),
    ///         fields: None,
    ///     })
    ///     .await?;
    /// println!("{:?}", thread.map(|t| t.id));
    /// # Ok(()) }
    /// ```
    pub async fn find_conversation(
        &self,
        page_id: &str,
        options: &FindConversationOptions,
    ) -> Result<Option<Conversation>, GraphApiError> {
        let spec = op::FIND_CONVERSATION.request(page_id, options)?;
        let page = self.fetch(&spec, op::FIND_CONVERSATION.expect()).await?;
        typed(op::first_item(page))
    }

    /// One thread (`GET /{conversation-id}`).
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// let thread = client.get_conversation("t_1", &Default::default()).await?;
    /// println!("{}", thread.updated_time);
    /// # Ok(()) }
    /// ```
    pub async fn get_conversation(
        &self,
        conversation_id: &str,
        options: &GetOptions,
    ) -> Result<Conversation, GraphApiError> {
        self.one(&op::GET_CONVERSATION, conversation_id, options)
            .await
    }

    /// One page of a thread's messages, newest first (`id` and `created_time` by default).
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// let page = client.list_messages("t_1", &Default::default()).await?;
    /// println!("{} messages", page.data.len());
    /// # Ok(()) }
    /// ```
    pub async fn list_messages(
        &self,
        conversation_id: &str,
        options: &ListMessagesOptions,
    ) -> Result<Page<Message>, GraphApiError> {
        self.one(&op::LIST_MESSAGES, conversation_id, options).await
    }

    /// Every message of a thread, newest first, page after page.
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// let newest_100 = client.messages("t_1", &Default::default())?.collect(100).await?;
    /// println!("{}", newest_100.len());
    /// # Ok(()) }
    /// ```
    pub fn messages(
        &self,
        conversation_id: &str,
        options: &MessagesOptions,
    ) -> Result<Paginated<T, Message>, GraphApiError>
    where
        T: Clone,
    {
        self.all(&op::MESSAGES, conversation_id, options)
    }

    /// A message's details; [`ErrorKind::MessageUnavailable`](crate::ErrorKind) outside the
    /// newest 20 of its thread.
    ///
    /// ```no_run
    /// # async fn run(client: graph_conversations::Client<graph_conversations::ReqwestTransport>)
    /// # -> Result<(), graph_conversations::GraphApiError> {
    /// use graph_conversations::ErrorKind;
    /// match client.get_message("m_1", &Default::default()).await {
    ///     Ok(message) => println!("{:?}", message.message),
    ///     Err(e) if e.kind == ErrorKind::MessageUnavailable => println!("older than the newest 20"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_message(
        &self,
        message_id: &str,
        options: &GetOptions,
    ) -> Result<Message, GraphApiError> {
        self.one(&op::GET_MESSAGE, message_id, options).await
    }
}
