//! `syncInbox` for JS: an async iterable of synced conversations, with `onProgress` called after
//! every one (and once at the end).

use futures::future::LocalBoxFuture;
use wasm_bindgen::prelude::*;

use super::convert::to_js;
use super::fetch::FetchTransport;
use super::stream::PageSource;
use crate::core::error::GraphApiError;
use crate::sync::InboxSync;

pub(crate) struct SyncSource {
    sync: InboxSync<FetchTransport>,
    on_progress: Option<js_sys::Function>,
    reported_done: bool,
}

impl SyncSource {
    pub(crate) fn new(
        sync: InboxSync<FetchTransport>,
        on_progress: Option<js_sys::Function>,
    ) -> Self {
        SyncSource {
            sync,
            on_progress,
            reported_done: false,
        }
    }

    fn report(&self) {
        // Without a callback, no progress object is made (one per item otherwise).
        let Some(callback) = &self.on_progress else {
            return;
        };
        if let Ok(progress) = to_js(&self.sync.progress()) {
            // A throwing callback is the caller's business; the sync goes on.
            let _ = callback.call1(&JsValue::NULL, &progress);
        }
    }
}

impl PageSource for SyncSource {
    fn next_page(&mut self) -> LocalBoxFuture<'_, Result<Option<JsValue>, GraphApiError>> {
        Box::pin(async move {
            let item = self.sync.next_value().await?;
            match item {
                Some(item) => {
                    self.report();
                    let mut page = serde_json::Map::new();
                    page.insert("data".to_owned(), serde_json::Value::Array(vec![item]));
                    to_js(&page).map(Some)
                }
                None => {
                    if !self.reported_done {
                        self.reported_done = true;
                        self.report();
                    }
                    Ok(None)
                }
            }
        })
    }
}
