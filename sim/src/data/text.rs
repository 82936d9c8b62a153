//! The word banks synthetic content is drawn from: several scripts, emoji (including ZWJ
//! sequences and flags), right-to-left text, markup that a client must escape, and a long
//! multi-line message.

pub struct Culture {
    pub first: &'static [&'static str],
    pub last: &'static [&'static str],
    /// Family name first, as written in Japanese.
    pub family_first: bool,
}

pub const CULTURES: &[Culture] = &[
    Culture {
        first: &[
            "Emma", "Liam", "Olivia", "Noah", "Zoë", "Chloé", "Björn", "Siobhán",
        ],
        last: &[
            "Smith",
            "Brontë",
            "O'Connor",
            "Müller",
            "Nguyen",
            "García-Løpez",
        ],
        family_first: false,
    },
    Culture {
        first: &["花子", "太郎", "さくら", "陽翔", "美咲"],
        last: &["山田", "佐藤", "鈴木", "高橋"],
        family_first: true,
    },
    Culture {
        first: &["محمد", "فاطمة", "ليلى", "عمر"],
        last: &["العلي", "الحسن", "منصور"],
        family_first: false,
    },
    Culture {
        first: &["יעל", "נועה", "אורי", "דוד"],
        last: &["כהן", "לוי", "מזרחי"],
        family_first: false,
    },
    Culture {
        first: &[
            "José",
            "María",
            "Ана",
            "Дмитрий",
            "Αλέξης",
            "Ngozi",
            "Priya",
            "Minh",
        ],
        last: &[
            "Álvarez",
            "Иванова",
            "Παπαδόπουλος",
            "Okafor",
            "Sharma",
            "Trần",
        ],
        family_first: false,
    },
];

pub const USER_ADJ: &[&str] = &[
    "sunny", "kuro", "latte", "sleepy", "matcha", "tiny", "cosmic", "velvet", "mochi", "rainy",
];
pub const USER_NOUN: &[&str] = &[
    "cat", "neko", "paws", "whiskers", "beans", "tabby", "biscuit", "purr", "kitten", "mittens",
];

pub const CUSTOMER_TEXTS: &[&str] = &[
    "Hi Kitty!",
    "Hello! Do you have a table for two tonight?",
    "Are you open on Sunday? ☕",
    "Can I bring my own cat? 🐈",
    "The matcha latte was amazing, thank you!!! 🍵✨",
    "こんにちは！予約できますか？",
    "猫ちゃんに会いに行きたいです 🐱",
    "مرحبا، هل لديكم طاولة لشخصين الليلة؟",
    "شكراً جزيلاً! القطط رائعة 😻",
    "שלום! האם אפשר להזמין עוגה לשבת?",
    "תודה רבה, היה מקסים ❤️",
    "¿Tienen opciones veganas? 🌱",
    "Bonjour ! Vous êtes ouverts à quelle heure ?",
    "Привет! Можно забронировать столик на завтра?",
    "Family of 4 👨‍👩‍👧‍👦 coming Saturday, is that ok?",
    "We are visiting from 🇯🇵 next week!",
    "Is <b>this</b> & that \"quoted\"? <script>alert('hi')</script>",
    "ok",
    "👍",
    "😂😂😂",
    "Where exactly are you? I'm at the station 🚉",
    "Do you sell gift cards?",
    "My order #4512 hasn't arrived yet 😕",
    "Can I adopt Mochi?? 🥺",
    "Line 1\nLine 2\n\nLine 4 after a blank line",
    "I loved my visit. The cats were so friendly, the cake was perfect, and the staff took \
     time to explain every cat's story. We will definitely come back next month with \
     friends. One small suggestion: it would be lovely to have a few more quiet seats near \
     the window, because the afternoon light there is beautiful and the cats seem to love \
     sleeping in the sun. Thank you again for a wonderful afternoon! 🐾🐾🐾",
];

pub const BUSINESS_TEXTS: &[&str] = &[
    "Hi! Thanks for reaching out to Kitty Café 🐾",
    "Yes, we have a table for you at 7pm. See you!",
    "We're open every day from 10:00 to 20:00.",
    "Sorry, outside cats can't visit: our cats get shy 🙀",
    "Thank you so much! Mochi says hi 😺",
    "ご予約ありがとうございます！お待ちしております。",
    "أهلاً وسهلاً! نعم، لدينا طاولة متاحة.",
    "בשמחה! נשמח לראות אתכם.",
    "¡Sí! Tenemos pasteles veganos 🌱",
    "Your order is on its way 🚚",
    "Gift cards are available at the counter 🎁",
    "Here's our menu 👇",
    "We're at 12 Whisker Lane, right next to the bakery.",
    "Of course, see you Saturday! 👨‍👩‍👧‍👦",
];

pub const FILES: &[(&str, &str)] = &[
    ("menu.pdf", "application/pdf"),
    ("receipt-4512.pdf", "application/pdf"),
    ("voice-note.mp4", "audio/mp4"),
    (
        "cat-care.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
];

pub const SHARES: &[(&str, &str, &str)] = &[
    (
        "https://www.instagram.com/p/C0ffeeKitty1/",
        "kittycafe on Instagram",
        "Latte art Thursday ☕🐱",
    ),
    (
        "https://kittycafe.example/menu",
        "Kitty Café – Menu",
        "Cakes, lattes and cuddles.",
    ),
    (
        "https://maps.example/kitty-cafe",
        "Kitty Café, 12 Whisker Lane",
        "Open daily 10:00–20:00",
    ),
];

pub const REACTIONS: &[&str] = &["❤️", "😂", "😮", "😢", "😠", "👍"];
