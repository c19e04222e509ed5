//! Rate limits on the reader debate: per address and per reader, so neither a crowd behind
//! one address nor one reader hopping addresses can flood a thread.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use newsdesk_core::ReaderId;
use std::num::NonZeroU32;

pub struct Limits {
    /// `None` when limits are off (`NEWSDESK_COMMENTS_PER_MINUTE=0`).
    limiters: Option<(
        DefaultKeyedRateLimiter<String>,
        DefaultKeyedRateLimiter<String>,
    )>,
}

impl Limits {
    pub fn per_minute(n: u32) -> Limits {
        Limits {
            limiters: NonZeroU32::new(n).map(|n| {
                (
                    RateLimiter::keyed(Quota::per_minute(n)),
                    RateLimiter::keyed(Quota::per_minute(n)),
                )
            }),
        }
    }

    /// `Err(seconds)` to wait when the address or the reader has used up its allowance.
    pub fn check(&self, ip: &str, reader: Option<&ReaderId>) -> Result<(), u64> {
        let Some((by_ip, by_reader)) = &self.limiters else {
            return Ok(());
        };
        let now = DefaultClock::default().now();
        let wait = |e: governor::NotUntil<_>| e.wait_time_from(now).as_secs().max(1);
        by_ip.check_key(&ip.to_string()).map_err(wait)?;
        if let Some(r) = reader {
            by_reader.check_key(&r.0).map_err(wait)?;
        }
        Ok(())
    }

    /// Forgets keys whose allowance is full again, so memory stays bounded.
    pub fn prune(&self) {
        if let Some((a, b)) = &self.limiters {
            a.retain_recent();
            b.retain_recent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allowance_runs_out_per_address_and_tells_how_long_to_wait() {
        let limits = Limits::per_minute(2);
        assert!(limits.check("10.0.0.1", None).is_ok());
        assert!(limits.check("10.0.0.1", None).is_ok());
        let wait = limits.check("10.0.0.1", None).unwrap_err();
        assert!((1..=30).contains(&wait), "wait {wait}");
        assert!(limits.check("10.0.0.2", None).is_ok());
    }

    #[test]
    fn a_reader_is_limited_across_addresses() {
        let limits = Limits::per_minute(1);
        let r = ReaderId("a".repeat(32));
        assert!(limits.check("10.0.0.1", Some(&r)).is_ok());
        assert!(limits.check("10.0.0.2", Some(&r)).is_err());
    }

    #[test]
    fn zero_turns_the_limits_off() {
        let limits = Limits::per_minute(0);
        for _ in 0..100 {
            assert!(limits.check("10.0.0.1", None).is_ok());
        }
    }
}
