//! The Graph surface: lists and paging, field selection, the newest-20 rule and the data.

mod common;

use common::*;
use graph_sim::Config;
use serde_json::{json, Value};

fn times(items: &[Value], key: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| i[key].as_str().expect("time").to_owned())
        .collect()
}

fn strictly_decreasing(ts: &[String]) -> bool {
    ts.windows(2).all(|w| w[0] > w[1])
}

#[tokio::test]
async fn lists_default_fields_newest_first_with_graph_paging() {
    let sim = Sim::start(fast()).await;
    let r = sim
        .get(&format!("/v26.0/{PAGE}/conversations?platform=messenger"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=UTF-8")
    );
    assert_eq!(r.header("facebook-api-version"), Some("v26.0"));
    assert!(r.header("x-fb-trace-id").is_some_and(|t| t.len() == 11));
    let v = r.json();
    let data = v["data"].as_array().unwrap();
    assert_eq!(data.len(), 25, "default limit");
    for t in data {
        assert_eq!(keys(t), ["id", "updated_time"]);
        assert!(t["id"].as_str().unwrap().starts_with("t_"));
        let time = t["updated_time"].as_str().unwrap();
        assert!(
            time.len() == 24 && time.ends_with("+0000") && time.as_bytes()[10] == b'T',
            "{time}"
        );
    }
    assert!(strictly_decreasing(&times(data, "updated_time")));
    let cursors = &v["paging"]["cursors"];
    assert!(cursors["before"].as_str().unwrap().starts_with("QVFIU"));
    assert!(cursors["after"].as_str().unwrap().starts_with("QVFIU"));
    assert!(v["paging"].get("previous").is_none(), "first page");
    let next = v["paging"]["next"].as_str().unwrap();
    let prefix = format!("{}/v26.0/{PAGE}/conversations?", sim.base);
    assert!(next.starts_with(&prefix), "{next}");
    // The token came in a header, yet Graph's next URL embeds it.
    assert!(next.contains("access_token=sim-page-token"), "{next}");
    assert!(next.contains("platform=messenger") && next.contains("limit=25"));

    // limit is clamped at max_limit (100); unversioned paths answer v26.0.
    let v = sim.ok("/me/conversations?limit=1000").await;
    assert_eq!(v["data"].as_array().unwrap().len(), 100);
    let r = sim.get("/v19.0/me").await;
    assert_eq!(r.header("facebook-api-version"), Some("v19.0"));
    assert_eq!(r.json(), json!({"id": PAGE, "name": "Kitty Café"}));
}

#[tokio::test]
async fn walks_5000_threads_by_next_urls_and_by_cursors_without_loss_or_repeat() {
    let sim = Sim::start(Config {
        messenger_threads: 5_000,
        messages: 1..=3,
        ..fast()
    })
    .await;
    let listed = sim.listed(PAGE, "messenger").await;
    assert!(listed > 4_000 && listed < 5_000, "{listed}");

    let by_next = sim
        .walk_next(&format!(
            "/v26.0/{PAGE}/conversations?platform=messenger&limit=100"
        ))
        .await;
    let ids_next = ids(&by_next);
    assert_eq!(ids_next.len(), listed);
    assert_no_repeats(&ids_next);
    assert!(strictly_decreasing(&times(&by_next, "updated_time")));

    // The same walk with `after` in the query and the token in a header.
    let mut ids_after = Vec::new();
    let mut after: Option<String> = None;
    let last_page = loop {
        let mut path = "/v26.0/me/conversations?limit=77&fields=id".to_owned();
        if let Some(a) = &after {
            path.push_str(&format!("&after={a}"));
        }
        let page = sim.ok(&path).await;
        ids_after.extend(ids(page["data"].as_array().unwrap()));
        if page["paging"].get("next").is_none() {
            break page;
        }
        after = page["paging"]["cursors"]["after"]
            .as_str()
            .map(str::to_owned);
    };
    assert_eq!(ids_after, ids_next);

    // And backwards from the last page with `previous`.
    let mut back = Vec::new();
    let mut page = last_page;
    loop {
        let mut chunk = ids(page["data"].as_array().unwrap());
        chunk.reverse();
        back.extend(chunk);
        let Some(prev) = page["paging"]["previous"].as_str().map(str::to_owned) else {
            break;
        };
        let r = sim.fetch(&prev, Auth::None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        page = r.json();
    }
    back.reverse();
    assert_eq!(back, ids_next);
}

#[tokio::test]
async fn a_thread_moved_to_the_top_during_a_walk_is_not_seen_again() {
    let sim = Sim::start(Config {
        messenger_threads: 300,
        ..fast()
    })
    .await;
    let all = ids(&sim.walk_next("/me/conversations?limit=100").await);
    let first = sim.ok("/me/conversations?limit=50").await;
    let seen_first = ids(first["data"].as_array().unwrap());
    let (seen, unseen) = (&all[10], &all[200]);
    assert!(seen_first.contains(seen) && !seen_first.contains(unseen));
    let count_before = sim.ok(&format!("/{unseen}?fields=message_count")).await["message_count"]
        .as_u64()
        .unwrap();
    for id in [unseen, seen] {
        let r = sim
            .post(
                "/__sim/messages",
                json!({"conversation_id": id, "text": "moving up"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    // Continue the walk from page one's `next`.
    let next = first["paging"]["next"].as_str().unwrap();
    let rest_url = next.strip_prefix(&sim.base).unwrap();
    let rest = ids(&sim.walk_next(rest_url).await);
    let mut walked = seen_first.clone();
    walked.extend(rest);
    assert_no_repeats(&walked);
    let expected: Vec<String> = all.iter().filter(|id| *id != unseen).cloned().collect();
    assert_eq!(walked, expected);

    // A new walk starts with the two moved threads, the latest first.
    let top = ids(sim.ok("/me/conversations?limit=3").await["data"]
        .as_array()
        .unwrap());
    assert_eq!(&top[..2], &[seen.clone(), unseen.clone()]);
    let count_after = sim.ok(&format!("/{unseen}?fields=message_count")).await["message_count"]
        .as_u64()
        .unwrap();
    assert_eq!(count_after, count_before + 1);
}

#[tokio::test]
async fn request_folder_threads_idle_for_30_days_are_never_listed() {
    let sim = Sim::start(fast()).await;
    let cutoff = chrono::DateTime::from_timestamp(graph_sim::ANCHOR - 30 * 86_400, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%S+0000")
        .to_string();
    let listed = sim
        .walk_next("/me/conversations?fields=id,folder,updated_time&limit=100")
        .await;
    let pending: Vec<&Value> = listed.iter().filter(|t| t["folder"] == "pending").collect();
    assert!(!pending.is_empty());
    for t in &pending {
        assert!(
            t["updated_time"].as_str().unwrap() >= cutoff.as_str(),
            "{t}"
        );
    }
    let hidden = 120 - listed.len();
    assert!(hidden > 0, "the default data has hidden request threads");

    // user_id lookups agree: exactly the hidden customers find nothing.
    let mut empty = Vec::new();
    for i in 0..120u64 {
        let psid = graph_sim::PSID_BASE + i;
        let v = sim.ok(&format!("/me/conversations?user_id={psid}")).await;
        match v["data"].as_array().unwrap().as_slice() {
            [] => empty.push(psid),
            [one] => assert_eq!(keys(one), ["id"]),
            more => panic!("{} threads for one user", more.len()),
        }
    }
    assert_eq!(empty.len(), hidden);

    // folder=pending lists only recent request threads.
    let only_pending = sim
        .walk_next("/me/conversations?folder=PENDING&fields=folder")
        .await;
    assert_eq!(only_pending.len(), pending.len());
    assert!(only_pending.iter().all(|t| t["folder"] == "pending"));
}

#[tokio::test]
async fn a_100k_thread_inbox_with_5000_messages_each_is_generated_lazily() {
    // 500 million messages: this only works if nothing is materialised.
    let sim = Sim::start(Config {
        messenger_threads: 100_000,
        messages: 5_000..=5_000,
        ..fast()
    })
    .await;
    let first = sim
        .ok("/me/conversations?limit=100&fields=id,message_count")
        .await;
    assert_eq!(first["data"].as_array().unwrap().len(), 100);
    assert_eq!(first["data"][0]["message_count"], 5_000);
    // The oldest listed thread (the very oldest may be a hidden request thread).
    let mut last_customer = graph_sim::PSID_BASE + 99_999;
    let id = loop {
        let found = sim
            .ok(&format!("/me/conversations?user_id={last_customer}"))
            .await;
        if let Some(id) = found["data"][0]["id"].as_str() {
            break id.to_owned();
        }
        last_customer -= 1;
    };
    let conv = sim
        .ok(&format!(
            "/{id}?fields=participants,messages.limit(3){{id,from}}"
        ))
        .await;
    assert_eq!(
        conv["participants"]["data"][0]["id"],
        last_customer.to_string()
    );
    // Deep into the thread through the messages edge.
    let mut page = sim.ok(&format!("/{id}/messages?limit=100")).await;
    for _ in 0..5 {
        let next = page["paging"]["next"].as_str().unwrap().to_owned();
        page = sim.fetch(&next, Auth::None).await.json();
    }
    assert_eq!(page["data"].as_array().unwrap().len(), 100);
}

#[tokio::test]
async fn user_id_finds_the_customers_thread_on_both_platforms() {
    let sim = Sim::start(fast()).await;
    for (token, path) in [
        (
            PAGE_TOKEN,
            format!("/v26.0/{PAGE}/conversations?platform=messenger"),
        ),
        (
            PAGE_TOKEN,
            format!("/v26.0/{PAGE}/conversations?platform=instagram"),
        ),
        (IG_TOKEN, "/v26.0/me/conversations?".to_owned()),
    ] {
        let list = sim
            .get_as(token, &format!("{path}&fields=participants&limit=5"))
            .await
            .json();
        for t in list["data"].as_array().unwrap() {
            let customer = t["participants"]["data"][0]["id"].as_str().unwrap();
            let v = sim
                .get_as(token, &format!("{path}&user_id={customer}"))
                .await
                .json();
            assert_eq!(v, json!({"data": [{"id": t["id"]}]}), "{path}");
        }
        let none = sim
            .get_as(token, &format!("{path}&user_id=12345"))
            .await
            .json();
        assert_eq!(none, json!({"data": []}));
    }
}

#[tokio::test]
async fn me_and_both_instagram_routes_reach_the_same_inbox() {
    let sim = Sim::start(fast()).await;
    let a = sim
        .get_as(IG_TOKEN, "/me/conversations?limit=100")
        .await
        .json();
    let b = sim
        .get_as(
            IG_TOKEN,
            &format!("/{IG}/conversations?platform=instagram&limit=100"),
        )
        .await
        .json();
    let c = sim
        .ok("/me/conversations?platform=INSTAGRAM&limit=100")
        .await;
    assert_eq!(
        ids(a["data"].as_array().unwrap()),
        ids(b["data"].as_array().unwrap())
    );
    assert_eq!(
        ids(a["data"].as_array().unwrap()),
        ids(c["data"].as_array().unwrap())
    );
    let first = a["data"][0]["id"].as_str().unwrap();
    assert!(first.starts_with("aWdf"), "{first}");
    let m = sim
        .get_as(IG_TOKEN, &format!("/{first}/messages"))
        .await
        .json();
    assert!(m["data"][0]["id"].as_str().unwrap().starts_with("aWdJRD"));
    assert_eq!(
        sim.get_as(IG_TOKEN, "/me").await.json(),
        json!({"id": IG, "username": "kittycafe"})
    );
}

#[tokio::test]
async fn conversation_and_message_nodes_follow_the_seed_examples() {
    let sim = Sim::start(fast()).await;
    let list = sim.ok("/me/conversations?limit=1").await;
    let conv = list["data"][0]["id"].as_str().unwrap().to_owned();

    // GET /{conversation-id}?fields=messages → {"messages": {...}, "id": ...}, in that order.
    let r = sim.get(&format!("/v26.0/{conv}?fields=messages")).await;
    assert!(
        r.text.starts_with(r#"{"messages":{"data":[{"id":""#),
        "{}",
        r.text
    );
    assert!(
        r.text.ends_with(&format!(r#""id":"{conv}"}}"#)),
        "{}",
        r.text
    );
    let v = r.json();
    let msgs = v["messages"]["data"].as_array().unwrap();
    for m in msgs {
        assert_eq!(keys(m), ["created_time", "id"]);
        assert!(m["id"].as_str().unwrap().starts_with("m_"));
    }
    assert!(
        strictly_decreasing(&times(msgs, "created_time")),
        "newest first"
    );

    // Default conversation fields, and the /messages edge's defaults.
    assert_eq!(
        keys(&sim.ok(&format!("/{conv}")).await),
        ["id", "updated_time"]
    );
    let edge = sim.ok(&format!("/{conv}/messages")).await;
    assert_eq!(edge["data"], v["messages"]["data"]);

    // Message details: default id,created_time; the seed's field list.
    let mid = msgs[0]["id"].as_str().unwrap();
    assert_eq!(
        keys(&sim.ok(&format!("/{mid}")).await),
        ["created_time", "id"]
    );
    let d = sim
        .ok(&format!("/{mid}?fields=id,created_time,from,to,message"))
        .await;
    for p in [&d["from"], &d["to"]["data"][0]] {
        assert_eq!(keys(p), ["email", "id", "name"], "Messenger people: {p}");
    }
    assert!(d["message"].is_string());

    // Instagram: username + id.
    let ig = sim
        .get_as(
            IG_TOKEN,
            "/me/conversations?limit=1&fields=messages.limit(1){from,to}",
        )
        .await
        .json();
    let m = &ig["data"][0]["messages"]["data"][0];
    assert_eq!(keys(&m["from"]), ["id", "username"]);
    assert_eq!(keys(&m["to"]["data"][0]), ["id", "username"]);

    // Nested messages page on to the /messages edge with the same sub-fields.
    let nested = sim
        .ok(&format!("/{conv}?fields=messages.limit(2){{id,message}}"))
        .await;
    if let Some(next) = nested["messages"]["paging"]["next"].as_str() {
        assert!(
            next.starts_with(&format!("{}/{conv}/messages?", sim.base)),
            "{next}"
        );
        let more = sim.fetch(next, Auth::None).await.json();
        assert_eq!(more["data"][0]["id"], msgs[2]["id"]);
    }
}

/// Messages of a thread with more than 25 messages, newest first, all fields.
async fn long_thread(sim: &Sim) -> (String, u64) {
    let list = sim
        .ok("/me/conversations?limit=100&fields=message_count")
        .await;
    let t = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["message_count"].as_u64().unwrap() > 25)
        .expect("some thread has more than 25 messages");
    (
        t["id"].as_str().unwrap().to_owned(),
        t["message_count"].as_u64().unwrap(),
    )
}

#[tokio::test]
async fn only_the_newest_20_messages_have_details() {
    let sim = Sim::start(fast()).await;
    let (conv, count) = long_thread(&sim).await;
    let detail = "id,created_time,from,to,message";
    let edge = sim
        .ok(&format!("/{conv}/messages?limit=100&fields={detail}"))
        .await;
    let nested = sim
        .ok(&format!("/{conv}?fields=messages.limit(100){{{detail}}}"))
        .await;
    for msgs in [&edge["data"], &nested["messages"]["data"]] {
        let msgs = msgs.as_array().unwrap();
        assert_eq!(msgs.len() as u64, count.min(100));
        for (i, m) in msgs.iter().enumerate() {
            if i < 20 {
                assert_eq!(
                    keys(m),
                    ["created_time", "from", "id", "message", "to"],
                    "#{i}"
                );
            } else {
                assert_eq!(keys(m), ["created_time", "id"], "#{i} has no details");
            }
        }
    }
    let ids = ids(edge["data"].as_array().unwrap());
    assert_eq!(
        sim.get(&format!("/{}?fields={detail}", ids[19]))
            .await
            .status,
        200
    );
    let r = sim.get(&format!("/{}?fields={detail}", ids[20])).await;
    assert_eq!(r.status, 400);
    let e = r.error();
    assert_eq!(e["code"], 9_000_001);
    assert_eq!(e["type"], "OAuthException");
    assert_eq!(
        e["message"],
        "This Message has been deleted by the user or the business."
    );

    // A new message shifts the window: the former 20th newest is now the 21st.
    let r = sim
        .post(
            "/__sim/messages",
            json!({"conversation_id": conv, "text": "one more", "from": "business"}),
        )
        .await;
    assert_eq!(r.status, 200);
    let added = r.json();
    assert_eq!(sim.get(&format!("/{}", ids[19])).await.status, 400);
    let new = sim
        .ok(&format!(
            "/{}?fields=message,from",
            added["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(new["message"], "one more");
    assert_eq!(new["from"]["id"], PAGE);
}

#[derive(Default, Debug)]
struct Seen {
    image: bool,
    video: bool,
    file: bool,
    share: bool,
    story_reply: bool,
    story_mention: bool,
    reaction: bool,
    reply_to: bool,
    unsupported: bool,
    tags: bool,
    sticker: bool,
    rtl: bool,
    emoji: bool,
    empty_with_attachment: bool,
}

const ALL_MESSAGE_FIELDS: &str =
    "id,created_time,from,to,message,attachments,shares,story,reactions,reply_to,is_unsupported,tags,sticker";

#[tokio::test]
async fn messages_carry_realistic_content_and_omit_fields_without_data() {
    let sim = Sim::start(fast()).await;
    let mut seen = [Seen::default(), Seen::default()];
    for (slot, token) in [(0, PAGE_TOKEN), (1, IG_TOKEN)] {
        let items = {
            let first = format!(
                "/me/conversations?limit=100&fields=messages.limit(20){{{ALL_MESSAGE_FIELDS}}}"
            );
            let r = sim.get_as(token, &first).await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.json()["data"].as_array().unwrap().clone()
        };
        let s = &mut seen[slot];
        for t in &items {
            for m in t["messages"]["data"].as_array().unwrap() {
                let text = m["message"].as_str().unwrap();
                let a = &m["attachments"]["data"][0];
                s.image |= keys(&a["image_data"])
                    == [
                        "height",
                        "max_height",
                        "max_width",
                        "preview_url",
                        "url",
                        "width",
                    ];
                s.video |= keys(&a["video_data"]) == ["height", "preview_url", "url", "width"];
                s.file |= a["file_url"].is_string()
                    && a["mime_type"].is_string()
                    && a["name"].is_string()
                    && a["size"].is_u64();
                s.empty_with_attachment |= text.is_empty() && a.is_object();
                s.share |= keys(&m["shares"]["data"][0]) == ["description", "id", "link", "name"];
                s.story_reply |= keys(&m["story"]["reply_to"]) == ["id", "link"];
                s.story_mention |= keys(&m["story"]["mention"]) == ["id", "link"];
                let r = &m["reactions"]["data"][0];
                s.reaction |= r["reaction"].is_string() && r["users"][0]["id"].is_string();
                s.reply_to |=
                    m["reply_to"]["mid"].is_string() && m["reply_to"]["is_self_reply"].is_boolean();
                if let Some(u) = m.get("is_unsupported") {
                    assert_eq!(u, true, "is_unsupported only appears when true");
                    s.unsupported = true;
                }
                s.tags |= m["tags"]["data"][0]["name"].is_string();
                s.sticker |= m["sticker"].is_string();
                s.rtl |= text.chars().any(|c| ('\u{0590}'..='\u{06FF}').contains(&c));
                s.emoji |= text.chars().any(|c| c as u32 >= 0x1F300);
                for k in keys(m) {
                    assert!(!m[&k].is_null(), "fields without data are omitted: {m}");
                }
            }
        }
    }
    let [msgr, ig] = &seen;
    for (name, s) in [("messenger", msgr), ("instagram", ig)] {
        assert!(
            s.image
                && s.video
                && s.file
                && s.share
                && s.reaction
                && s.reply_to
                && s.unsupported
                && s.rtl
                && s.emoji
                && s.empty_with_attachment,
            "{name}: {s:?}"
        );
    }
    assert!(ig.story_reply && ig.story_mention && !msgr.story_reply && !msgr.story_mention);
    assert!(msgr.tags && msgr.sticker && !ig.tags && !ig.sticker);
}

#[tokio::test]
async fn instagram_threads_omit_messenger_only_fields() {
    let sim = Sim::start(fast()).await;
    let fields = "id,updated_time,link,snippet,message_count,unread_count,can_reply,participants,senders,is_owner,folder";
    let m = sim
        .ok(&format!("/me/conversations?limit=1&fields={fields}"))
        .await;
    assert_eq!(
        keys(&m["data"][0]),
        [
            "can_reply",
            "folder",
            "id",
            "is_owner",
            "link",
            "message_count",
            "participants",
            "senders",
            "snippet",
            "unread_count",
            "updated_time"
        ]
    );
    let i = sim
        .get_as(
            IG_TOKEN,
            &format!("/me/conversations?limit=1&fields={fields}"),
        )
        .await
        .json();
    assert_eq!(
        keys(&i["data"][0]),
        [
            "can_reply",
            "folder",
            "id",
            "is_owner",
            "participants",
            "snippet",
            "updated_time"
        ]
    );
    // Sub-selections work on object fields too.
    let p = sim
        .ok("/me/conversations?limit=1&fields=participants{id}")
        .await;
    assert_eq!(keys(&p["data"][0]["participants"]["data"][0]), ["id"]);
}
