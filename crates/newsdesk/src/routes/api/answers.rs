//! The error answers every operation can give, added to the OpenAPI document once instead of
//! in each handler: a request that cannot be read (400), storage that cannot take it just now
//! (503), and for operations behind a token, a missing or wrong one (401) and a role without
//! the right (403). An operation that documents one itself keeps its own words. And a new
//! story's schema, which POST and PATCH would otherwise share.

use utoipa::openapi::path::Operation;
use utoipa::openapi::{Content, Ref, ResponseBuilder};
use utoipa::Modify;

pub struct CommonAnswers;

fn error_answer(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
        )
        .build()
}

fn add_to(operation: &mut Operation) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut answers = vec![
        (
            "400",
            "The request cannot be read: a body that is not JSON, or a parameter that is repeated or not of its type",
        ),
        (
            "503",
            "The storage cannot take it just now (a full disk, a database restarting); nothing was written: see Retry-After",
        ),
    ];
    if secured {
        answers.push(("401", "No token, or a token that is not valid"));
        answers.push(("403", "The token's role may not do this"));
    }
    for (status, description) in answers {
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| error_answer(description).into());
    }
}

impl Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                add_to(operation);
            }
        }
    }
}

/// The fields a new story must have; PATCH takes any of them.
const REQUIRED_ON_CREATE: [(&str, usize); 3] =
    [("headline", 200), ("standfirst", 500), ("section", 80)];

/// A new story's own schema, made from the one PATCH takes (so the two cannot drift apart)
/// with the fields a new story must have marked required: text with something in it.
pub struct StoryCreateSchema;

impl Modify for StoryCreateSchema {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
        use utoipa::openapi::{RefOr, Required};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let Some(RefOr::T(Schema::Object(patch))) = components.schemas.get("ArticleInput") else {
            return;
        };
        let mut create = patch.clone();
        create.description = Some(
            "A new story. `headline`, `standfirst` and `section` are required; `body` and \
             `authors` too unless `status` is `draft` (the default)."
                .into(),
        );
        for (field, max) in REQUIRED_ON_CREATE {
            let described = match create.properties.get(field) {
                Some(RefOr::T(Schema::Object(o))) => o.description.clone(),
                _ => None,
            };
            let text = ObjectBuilder::new()
                .schema_type(Type::String)
                .description(described)
                .min_length(Some(1))
                .max_length(Some(max))
                .pattern(Some(r"\S"))
                .build();
            create.properties.insert(field.to_string(), text.into());
            create.required.push(field.to_string());
        }
        components
            .schemas
            .insert("ArticleCreate".into(), Schema::Object(create).into());
        let post = openapi
            .paths
            .paths
            .get_mut("/api/v1/articles")
            .and_then(|item| item.post.as_mut());
        if let Some(body) = post.and_then(|op| op.request_body.as_mut()) {
            body.required = Some(Required::True);
            for content in body.content.values_mut() {
                content.schema = Some(Ref::from_schema_name("ArticleCreate").into());
            }
        }
    }
}
