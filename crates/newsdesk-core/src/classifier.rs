//! A naive Bayes spam and abuse classifier that learns from moderators' decisions: words of
//! comments they approve count as ham, words of comments they reject or mark as spam count
//! as spam.

use std::collections::{HashMap, HashSet};

/// The words of a comment as the classifier sees them: lower-case, 2 to 24 letters, each once.
pub fn words(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| (2..=24).contains(&w.chars().count()))
        .map(str::to_lowercase)
        .filter(|w| seen.insert(w.clone()))
        .take(200)
        .collect()
}

/// What the classifier has learnt: word counts and how many comments of each kind.
#[derive(Debug, Clone, Default)]
pub struct SpamModel {
    pub words: HashMap<String, (i64, i64)>,
    pub spam_docs: i64,
    pub ham_docs: i64,
}

/// A verdict: the probability of spam and the words that weighed most.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub spam_probability: f64,
    pub telling_words: Vec<String>,
}

/// The least each kind must have been taught before the classifier gives verdicts.
pub const MIN_DOCS: i64 = 10;

impl SpamModel {
    pub fn trained(&self) -> bool {
        self.spam_docs >= MIN_DOCS && self.ham_docs >= MIN_DOCS
    }

    pub fn judge(&self, text: &str) -> Option<Verdict> {
        if !self.trained() {
            return None;
        }
        let prior = (self.spam_docs as f64 / self.ham_docs as f64).ln();
        let mut weights: Vec<(f64, String)> = words(text)
            .into_iter()
            .filter_map(|w| {
                let (spam, ham) = *self.words.get(&w)?;
                // Laplace smoothing: a word seen once on one side is weak evidence.
                let p_spam = (spam as f64 + 1.0) / (self.spam_docs as f64 + 2.0);
                let p_ham = (ham as f64 + 1.0) / (self.ham_docs as f64 + 2.0);
                Some(((p_spam / p_ham).ln(), w))
            })
            .collect();
        let log_odds: f64 = prior + weights.iter().map(|(w, _)| w).sum::<f64>();
        weights.sort_by(|a, b| b.0.total_cmp(&a.0));
        Some(Verdict {
            spam_probability: 1.0 / (1.0 + (-log_odds).exp()),
            telling_words: weights
                .into_iter()
                .filter(|(w, _)| *w > 0.0)
                .take(3)
                .map(|(_, w)| w)
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taught() -> SpamModel {
        let mut m = SpamModel::default();
        for _ in 0..12 {
            for w in words("cheap pills casino bonus click now") {
                m.words.entry(w).or_default().0 += 1;
            }
            m.spam_docs += 1;
            for w in words("the council should fund the night buses") {
                m.words.entry(w).or_default().1 += 1;
            }
            m.ham_docs += 1;
        }
        m
    }

    #[test]
    fn an_untaught_model_gives_no_verdict() {
        assert_eq!(SpamModel::default().judge("casino"), None);
    }

    #[test]
    fn it_learns_which_words_mark_spam() {
        let m = taught();
        let spam = m.judge("Casino bonus: click now!").unwrap();
        assert!(spam.spam_probability > 0.99, "{spam:?}");
        assert!(spam.telling_words.contains(&"casino".to_string()));
        let ham = m.judge("The council should fund buses").unwrap();
        assert!(ham.spam_probability < 0.01, "{ham:?}");
    }

    #[test]
    fn words_are_lower_case_and_counted_once() {
        assert_eq!(words("Bus bus BUS a x"), vec!["bus"]);
    }
}
