//! A deadline for a request's whole body, beside the wait allowed between its parts
//! (`middleware`): a client that sends one byte every few seconds cannot hold a connection for
//! longer than this, however patient the per-part wait is.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Body as HttpBody, Frame, SizeHint};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// Long enough for a phone's photo on a slow network (20 MB at about 70 KB/s).
pub const BODY_DEADLINE: Duration = Duration::from_secs(300);

struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<Sleep>>,
}

impl HttpBody for DeadlineBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(axum::Error::new(
                "the request body took too long to arrive",
            ))));
        }
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Middleware: every request's body must have arrived whole within `BODY_DEADLINE`.
pub async fn within_deadline(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let body = Body::new(DeadlineBody {
        inner: body,
        deadline: Box::pin(tokio::time::sleep_until(Instant::now() + BODY_DEADLINE)),
    });
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test(start_paused = true)]
    async fn a_body_that_never_ends_is_given_up_at_the_deadline() {
        let never = futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
        let body = DeadlineBody {
            inner: Body::from_stream(never),
            deadline: Box::pin(tokio::time::sleep_until(Instant::now() + BODY_DEADLINE)),
        };
        let started = Instant::now();
        let read = body.collect().await;
        assert!(read.is_err(), "the body must fail, not wait for ever");
        assert_eq!(started.elapsed(), BODY_DEADLINE);
    }
}
