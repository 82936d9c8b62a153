//! Lists for JS: one class serves every list (`conversations`, `messages`, `syncInbox`). The
//! typed view users get (`Paginated<T>`: an `AsyncIterable<T>` with `.pages()` and
//! `.toArray({ limit })`) is declared on the methods and built by `js/core.js`.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use wasm_bindgen::prelude::*;

use super::convert::{body_to_js, promise};
use super::fetch::FetchTransport;
use crate::client::{Decode, Paginated};
use crate::core::error::GraphApiError;

/// Produces pages as JS objects (`{data, paging?}`); `None` after the last.
pub(crate) trait PageSource {
    fn next_page(&mut self) -> LocalBoxFuture<'_, Result<Option<JsValue>, GraphApiError>>;
}

pub(crate) struct ListSource {
    list: Paginated<FetchTransport, serde_json::Value>,
}

impl ListSource {
    pub(crate) fn new(list: Paginated<FetchTransport, serde_json::Value>) -> Self {
        ListSource { list }
    }
}

impl PageSource for ListSource {
    fn next_page(&mut self) -> LocalBoxFuture<'_, Result<Option<JsValue>, GraphApiError>> {
        Box::pin(async move {
            let page = self.list.next_body(Decode::AllowVerbatim).await?;
            page.map(|p| body_to_js(&p)).transpose()
        })
    }
}

/// One walk over a list, page by page. The package's JS layer turns it into the public
/// `AsyncIterable` with `.pages()` and `.toArray()` and queues overlapping calls; no entry
/// exports this class, so it is left out of the public types.
#[wasm_bindgen(skip_typescript)]
pub struct PageStream {
    // Taken out while a page is in flight, so an overlapping call is refused, not run twice.
    source: Rc<RefCell<Option<Box<dyn PageSource>>>>,
}

impl PageStream {
    pub(crate) fn new(source: impl PageSource + 'static) -> Self {
        PageStream {
            source: Rc::new(RefCell::new(Some(Box::new(source)))),
        }
    }
}

#[wasm_bindgen]
impl PageStream {
    /// The next page (`{ data, paging? }`), or `undefined` after the last.
    #[wasm_bindgen(js_name = nextPage, unchecked_return_type = "Promise<unknown>")]
    pub fn next_page(&self) -> js_sys::Promise {
        let cell = self.source.clone();
        promise(async move {
            let taken = cell.borrow_mut().take();
            let Some(mut source) = taken else {
                return Err(GraphApiError::invalid_argument(
                    "nextPage() called while another call is pending",
                ));
            };
            let result = source.next_page().await;
            *cell.borrow_mut() = Some(source);
            Ok(result?.unwrap_or(JsValue::UNDEFINED))
        })
    }
}
