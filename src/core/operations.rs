//! Every operation of the Conversations API, declared once: its options type, the argument that
//! names the Graph node, how its request is built, what Graph must answer and the shape of its
//! result. The Rust client (`client::operations`) and the wasm facade (`wasm::client`) both run
//! operations from this table; neither builds a request or reshapes options of its own.

use serde_json::Value;

use crate::core::error::GraphApiError;
use crate::core::models::{CONVERSATION, MESSAGE};
use crate::core::options::{
    ConversationsOptions, FindConversationOptions, GetOptions, ListConversationsOptions,
    ListMessagesOptions, MessagesOptions,
};
use crate::core::request::{self, node_path, RequestSpec};
use crate::core::schema::Schema;

/// How an operation's response becomes its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One Graph object.
    Object,
    /// One page of a list.
    Page,
    /// The first item of a list page, or none (`null` in JS).
    FirstOrNone,
    /// Every item of a list, fetched page by page as the caller iterates.
    AllPages,
}

/// What a response body must be, for decoding.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// An object of the schema.
    Object(&'static Schema),
    /// `{data: [...], paging}` of objects of the schema.
    Page(&'static Schema),
}

/// One row of the table.
#[derive(Debug)]
pub struct Operation<O: 'static> {
    /// The argument naming the Graph node, as errors call it (`"pageId"`).
    pub node: &'static str,
    /// Builds the request from the validated node path (`/{id}`).
    pub build: fn(&str, &O) -> Result<RequestSpec, GraphApiError>,
    /// The object returned, or the items of the list.
    pub items: &'static Schema,
    /// How the response becomes the result.
    pub shape: Shape,
}

impl<O> Operation<O> {
    /// The request for `id` and `options`, validated: nothing is sent when this fails.
    pub fn request(&self, id: &str, options: &O) -> Result<RequestSpec, GraphApiError> {
        (self.build)(&node_path(id, self.node)?, options)
    }

    /// What the response must be.
    pub fn expect(&self) -> Expect {
        match self.shape {
            Shape::Object => Expect::Object(self.items),
            Shape::Page | Shape::FirstOrNone | Shape::AllPages => Expect::Page(self.items),
        }
    }
}

/// The first item of a normalised list page, or `Null`: what `FirstOrNone` operations return.
pub fn first_item(mut page: Value) -> Value {
    match page.get_mut("data").and_then(Value::as_array_mut) {
        Some(items) if !items.is_empty() => items.swap_remove(0),
        _ => Value::Null,
    }
}

/// `listConversations(pageId, options)`: `GET /{page-id}/conversations`, one page.
pub static LIST_CONVERSATIONS: Operation<ListConversationsOptions> = Operation {
    node: "pageId",
    build: request::list_conversations,
    items: &CONVERSATION,
    shape: Shape::Page,
};

/// `conversations(pageId, options)`: every thread, page after page.
pub static CONVERSATIONS: Operation<ConversationsOptions> = Operation {
    node: "pageId",
    build: request::conversations,
    items: &CONVERSATION,
    shape: Shape::AllPages,
};

/// `findConversation(pageId, options)`: the list with `user_id`, its first thread or none.
pub static FIND_CONVERSATION: Operation<FindConversationOptions> = Operation {
    node: "pageId",
    build: request::find_conversation,
    items: &CONVERSATION,
    shape: Shape::FirstOrNone,
};

/// `getConversation(conversationId, options)`: `GET /{conversation-id}`.
pub static GET_CONVERSATION: Operation<GetOptions> = Operation {
    node: "conversationId",
    build: request::get_conversation,
    items: &CONVERSATION,
    shape: Shape::Object,
};

/// `listMessages(conversationId, options)`: `GET /{conversation-id}/messages`, one page.
pub static LIST_MESSAGES: Operation<ListMessagesOptions> = Operation {
    node: "conversationId",
    build: request::list_messages,
    items: &MESSAGE,
    shape: Shape::Page,
};

/// `messages(conversationId, options)`: every message of a thread, newest first.
pub static MESSAGES: Operation<MessagesOptions> = Operation {
    node: "conversationId",
    build: request::messages,
    items: &MESSAGE,
    shape: Shape::AllPages,
};

/// `getMessage(messageId, options)`: `GET /{message-id}`; `message_unavailable` outside the
/// newest 20 of its thread.
pub static GET_MESSAGE: Operation<GetOptions> = Operation {
    node: "messageId",
    build: request::get_message,
    items: &MESSAGE,
    shape: Shape::Object,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;
    use crate::core::options::Platform;

    fn list(page: &str, o: ListConversationsOptions) -> Result<String, GraphApiError> {
        LIST_CONVERSATIONS
            .request(page, &o)
            .map(|s| s.path_and_query())
    }

    #[test]
    fn list_conversations_query_is_exact() {
        let q = list(
            "106000000000001",
            ListConversationsOptions {
                platform: Some(Platform::Instagram),
                limit: Some(50),
                after: Some("QVFIU+/=".into()),
                fields: Some(vec![
                    "participants".into(),
                    "messages.limit(20){message}".into(),
                ]),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            q,
            "/106000000000001/conversations?platform=instagram\
             &fields=id,updated_time,participants,messages.limit(20){id,created_time,message}\
             &limit=50&after=QVFIU%2B%2F%3D"
        );
    }

    #[test]
    fn find_uses_user_id_and_always_asks_for_updated_time() {
        let spec = FIND_CONVERSATION
            .request(
                "me",
                &FindConversationOptions {
                    platform: Some(Platform::Messenger),
                    user_id: "24000000000000001".into(),
                    fields: None,
                },
            )
            .unwrap();
        assert_eq!(
            spec.path_and_query(),
            "/me/conversations?platform=messenger&user_id=24000000000000001&fields=id,updated_time"
        );
    }

    #[test]
    fn message_requests_use_documented_defaults() {
        let spec = GET_MESSAGE.request("m_1", &GetOptions::default()).unwrap();
        assert_eq!(
            spec.get("fields"),
            Some(
                "id,created_time,from,to,message,attachments,shares,story,reactions,reply_to,\
                 is_unsupported,tags"
            )
        );
        let spec = LIST_MESSAGES
            .request("t_1", &ListMessagesOptions::default())
            .unwrap();
        assert_eq!(
            spec.path_and_query(),
            "/t_1/messages?fields=id,created_time"
        );
    }

    #[test]
    fn bad_input_is_rejected_before_any_request() {
        let bad: Vec<Result<RequestSpec, GraphApiError>> = vec![
            LIST_CONVERSATIONS.request(
                "a/b",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    ..Default::default()
                },
            ),
            LIST_CONVERSATIONS.request("me", &ListConversationsOptions::default()),
            LIST_CONVERSATIONS.request(
                "me",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    limit: Some(0),
                    ..Default::default()
                },
            ),
            LIST_CONVERSATIONS.request(
                "me",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    limit: Some(-3),
                    ..Default::default()
                },
            ),
            LIST_CONVERSATIONS.request(
                "me",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    user_id: Some("1 2".into()),
                    ..Default::default()
                },
            ),
            LIST_CONVERSATIONS.request(
                "me",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    after: Some("a".into()),
                    before: Some("b".into()),
                    ..Default::default()
                },
            ),
            LIST_CONVERSATIONS.request(
                "me",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    after: Some(String::new()),
                    ..Default::default()
                },
            ),
            LIST_CONVERSATIONS.request(
                "me",
                &ListConversationsOptions {
                    platform: Some(Platform::Messenger),
                    fields: Some(vec!["messages{".into()]),
                    ..Default::default()
                },
            ),
            GET_CONVERSATION.request("..", &GetOptions::default()),
            GET_MESSAGE.request("m_1?x", &GetOptions::default()),
            LIST_MESSAGES.request("", &ListMessagesOptions::default()),
            GET_MESSAGE.request(
                "m_1",
                &GetOptions {
                    fields: Some(vec![]),
                },
            ),
        ];
        for (i, result) in bad.into_iter().enumerate() {
            assert_eq!(
                result.unwrap_err().kind,
                ErrorKind::InvalidArgument,
                "case {i}"
            );
        }
    }
}
