//! Async iteration for JS: one class serves every list (`conversations`, `messages`, `syncInbox`).
//! It is `AsyncIterable<T>` with `.pages()` and `.toArray({ limit })`; the typed view
//! (`Paginated<T>`) is declared on the methods that return it.

use std::collections::VecDeque;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use futures::lock::Mutex;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::{abortable, promise, to_js, FetchTransport};
use crate::client::Paginated;
use crate::core::error::GraphApiError;

/// Produces pages as JS objects (`{data, paging?}`); `None` after the last.
pub(crate) trait PageSource {
    fn next_page(&mut self) -> LocalBoxFuture<'_, Result<Option<JsValue>, GraphApiError>>;
}

pub(crate) struct ListSource {
    list: Paginated<FetchTransport, serde_json::Value>,
    signal: Option<AbortSignal>,
}

impl ListSource {
    pub(crate) fn new(
        list: Paginated<FetchTransport, serde_json::Value>,
        signal: Option<AbortSignal>,
    ) -> Self {
        ListSource { list, signal }
    }
}

impl PageSource for ListSource {
    fn next_page(&mut self) -> LocalBoxFuture<'_, Result<Option<JsValue>, GraphApiError>> {
        Box::pin(async move {
            let page = abortable(self.signal.as_ref(), self.list.next_page_value()).await?;
            page.map(|p| to_js(&p)).transpose()
        })
    }
}

struct State {
    source: Box<dyn PageSource>,
    items: VecDeque<JsValue>,
    done: bool,
}

impl State {
    /// Pulls pages until an item is buffered or the list ends.
    async fn next_item(&mut self) -> Result<Option<JsValue>, GraphApiError> {
        loop {
            if let Some(item) = self.items.pop_front() {
                return Ok(Some(item));
            }
            match self.next_page().await? {
                Some(page) => {
                    let data = js_sys::Reflect::get(&page, &JsValue::from_str("data"))
                        .ok()
                        .filter(|d| d.is_array())
                        .map(|d| js_sys::Array::from(&d))
                        .unwrap_or_default();
                    self.items.extend(data.iter());
                }
                None => return Ok(None),
            }
        }
    }

    async fn next_page(&mut self) -> Result<Option<JsValue>, GraphApiError> {
        if self.done {
            return Ok(None);
        }
        match self.source.next_page().await {
            Ok(None) => {
                self.done = true;
                Ok(None)
            }
            other => other,
        }
    }
}

fn iterator_result(value: Option<JsValue>) -> JsValue {
    let result = js_sys::Object::new();
    let done = value.is_none();
    let _ = js_sys::Reflect::set(&result, &"done".into(), &done.into());
    let _ = js_sys::Reflect::set(&result, &"value".into(), &value.unwrap_or_default());
    result.into()
}

/// `AsyncIterable` over a list's items (or, from `.pages()`, its pages). Iterations share one
/// walk: items taken by one loop are not seen again by another.
#[wasm_bindgen]
pub struct ItemStream {
    // An async lock, so overlapping `next()` calls queue instead of fetching the same page twice.
    state: Rc<Mutex<State>>,
    pages: bool,
}

impl ItemStream {
    pub(crate) fn new(source: impl PageSource + 'static) -> Self {
        ItemStream {
            state: Rc::new(Mutex::new(State {
                source: Box::new(source),
                items: VecDeque::new(),
                done: false,
            })),
            pages: false,
        }
    }

    fn view(&self, pages: bool) -> ItemStream {
        ItemStream {
            state: self.state.clone(),
            pages,
        }
    }
}

#[wasm_bindgen]
impl ItemStream {
    /// The async-iterator protocol.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<unknown, undefined>>")]
    pub fn next(&self) -> js_sys::Promise {
        let state = self.state.clone();
        let pages = self.pages;
        promise(async move {
            let mut state = state.lock().await;
            let value = if pages {
                state.next_page().await?
            } else {
                state.next_item().await?
            };
            Ok(iterator_result(value))
        })
    }

    /// Ends the walk early (called by `break` in `for await`).
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<unknown, undefined>>"
    )]
    pub fn finish(&self) -> js_sys::Promise {
        let state = self.state.clone();
        promise(async move {
            let mut state = state.lock().await;
            state.done = true;
            state.items.clear();
            Ok(iterator_result(None))
        })
    }

    #[wasm_bindgen(js_name = "[Symbol.asyncIterator]")]
    pub fn async_iterator(&self) -> ItemStream {
        self.view(self.pages)
    }

    /// Whole pages instead of items.
    pub fn pages(&self) -> ItemStream {
        self.view(true)
    }

    /// Collects up to `limit` items (or pages, on a `.pages()` view).
    #[wasm_bindgen(js_name = toArray, unchecked_return_type = "Promise<unknown[]>")]
    pub fn to_array(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ limit: number }")] options: JsValue,
    ) -> js_sys::Promise {
        let state = self.state.clone();
        let pages = self.pages;
        let limit = js_sys::Reflect::get(&options, &"limit".into())
            .ok()
            .and_then(|l| l.as_f64());
        promise(async move {
            let limit = match limit {
                Some(l) if l.is_finite() && l > 0.0 && l.fract() == 0.0 => l as usize,
                _ => {
                    return Err(GraphApiError::invalid_argument(
                        "toArray needs { limit: n } with a positive whole number",
                    ))
                }
            };
            let mut state = state.lock().await;
            let out = js_sys::Array::new();
            while (out.length() as usize) < limit {
                let next = if pages {
                    state.next_page().await?
                } else {
                    state.next_item().await?
                };
                match next {
                    Some(v) => {
                        out.push(&v);
                    }
                    None => break,
                }
            }
            Ok(out.into())
        })
    }
}
