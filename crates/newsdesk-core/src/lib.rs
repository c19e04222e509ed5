//! newsdesk's domain: plain story types, their validation and the `Store` trait. No web, no SQL.

pub mod article;
pub mod audit;
pub mod body;
pub mod classifier;
pub mod comment;
pub mod debate;
pub mod discussion;
pub mod ids;
pub mod import;
pub mod input;
pub mod media;
pub mod moderation;
pub mod newsroom;
pub mod pages;
pub mod people;
pub mod related;
pub mod revision;
pub mod role;
pub mod screen;
pub mod slug;
pub mod store;
pub mod story_text;
pub mod validation;

pub use article::{
    Article, ArticleStatus, Claim, ClaimStatus, Correction, CorrectionKind, DebateQuestion, Hero,
    Source,
};
pub use ids::{ArticleId, CommentId, PageId, QuestionId, ReaderId, UserId};
pub use input::{ArticleFields, ArticleInput};
pub use role::Role;
pub use store::{
    ArticleFilter, ArticleList, Conflict, PageRequest, PromoTarget, Store, StoreError,
};
pub use validation::{FieldErrors, ValidationError};
