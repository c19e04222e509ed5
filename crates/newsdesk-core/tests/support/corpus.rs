//! A labelled news corpus made up for tuning "more like this": stories on twelve topics, told
//! with topic words drowned in everyday news prose, with pairs of topics that share words
//! (two strikes, two elections, two kinds of weather) and tags that are sometimes missing or
//! only generic. Generated from a seed, so every run sees the same stories.

use newsdesk_core::story_text::StoryText;
use newsdesk_core::ArticleId;

pub struct Labelled {
    pub doc: StoryText,
    pub topic: usize,
}

/// Each topic: its name (a tag) and its own words. Neighbouring pairs share some words.
pub const TOPICS: &[(&str, &str)] = &[
    ("rail-strike", "rail train drivers strike walkout union picket timetable station commuters signal depot platform locomotive fares"),
    ("bus-strike", "bus drivers strike walkout union picket depot route commuters timetable garage conductor fares shelter"),
    ("mayoral-election", "mayor election ballot candidate campaign polling votes hustings turnout manifesto count victory"),
    ("council-budget", "council budget tax spending cuts deficit services treasurer councillors reserves borrowing audit"),
    ("heatwave", "heatwave temperature heat sun hottest thermometer shade drought reservoir sunburn fans cooling"),
    ("flooding", "flood rain river storm sandbags flooding levee rainfall water evacuated pumps drains embankment"),
    ("fishing-quota", "fishing quota trawler catch harbour fishermen cod haddock nets vessel landing fleet boats"),
    ("football", "football match goal striker league stadium fans keeper manager penalty season derby referee"),
    ("museum-theft", "museum theft stolen painting gallery curator alarm burglars artwork insurance detectives vault"),
    ("hospital", "hospital patients ward nurses doctors waiting surgery emergency beds clinic ambulance treatment"),
    ("technology-layoffs", "company layoffs jobs staff redundancies software factory shares investors restructuring chip plant"),
    ("schools", "school pupils teachers exams classroom headteacher curriculum term inspectors playground lessons parents"),
];

/// Everyday news words every story uses.
const COMMON: &str =
    "city port avel residents officials week statement spokesperson plans morning \
    evening local report public government minister council meeting people families business \
    government later earlier announced expected warned confirmed decision issue problem community \
    local area district street centre morning friday monday tuesday weekend month months figures \
    number costs money support concern response questions answer future weeks team leaders group \
    members side visit interview press office national region northern southern harbour river \
    bridge road market shops workers pay money plan talks deal agreement review report inquiry";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[(self.next() % words.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn sentence(
    rng: &mut Rng,
    topic: &[&str],
    neighbour: &[&str],
    common: &[&str],
    words: usize,
    topical: u64,
) -> String {
    let mut out = Vec::with_capacity(words);
    for _ in 0..words {
        let r = rng.next() % 100;
        let w = if r < topical {
            rng.pick(topic)
        } else if r < topical + topical / 2 {
            // Words of the neighbouring topic blur the line between the two.
            rng.pick(neighbour)
        } else {
            rng.pick(common)
        };
        out.push(w);
    }
    out.join(" ")
}

/// `per_topic` stories on each topic, with bodies of about `body_words` words.
pub fn corpus(per_topic: usize, body_words: usize, seed: u64) -> Vec<Labelled> {
    let mut rng = Rng(seed | 1);
    let common: Vec<&str> = COMMON.split_whitespace().collect();
    let mut out = Vec::new();
    for i in 0..per_topic {
        for (t, (tag, words)) in TOPICS.iter().enumerate() {
            let topic: Vec<&str> = words.split_whitespace().collect();
            let pair = if t % 2 == 0 { t + 1 } else { t - 1 };
            let neighbour: Vec<&str> = TOPICS[pair].1.split_whitespace().collect();
            let id = (out.len() + 1) as i64;
            let mut tags = Vec::new();
            if rng.chance(70) {
                tags.push(tag.to_string());
            }
            if rng.chance(40) {
                tags.push("port-avel".to_string());
            }
            let paragraphs = (0..3)
                .map(|_| sentence(&mut rng, &topic, &neighbour, &common, body_words / 3, 12))
                .collect::<Vec<_>>()
                .join("\n\n");
            out.push(Labelled {
                topic: t,
                doc: StoryText {
                    id: ArticleId(id),
                    published_ms: 1_700_000_000_000 + (i * TOPICS.len() + t) as i64 * 60_000,
                    stamp: 0,
                    headline: sentence(&mut rng, &topic, &neighbour, &common, 8, 30),
                    standfirst: sentence(&mut rng, &topic, &neighbour, &common, 18, 20),
                    body: paragraphs,
                    tags,
                    section: format!("topic-{t}"),
                    authors: vec![format!("Writer {}", i % 7)],
                },
            });
        }
    }
    out
}
