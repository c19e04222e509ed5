//! Rate limits on the reader debate: per address and per reader, so neither a crowd behind
//! one address nor one reader hopping addresses can flood a thread; and a tighter allowance of
//! reports per address. An IPv6 address counts by its /64, the block one home or phone holds.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use newsdesk_core::ReaderId;
use std::net::IpAddr;
use std::num::NonZeroU32;

pub struct Limits {
    /// `None` when limits are off (`NEWSDESK_COMMENTS_PER_MINUTE=0`).
    limiters: Option<(
        DefaultKeyedRateLimiter<String>,
        DefaultKeyedRateLimiter<String>,
    )>,
    /// Reports an address may make an hour; `None` when off (`NEWSDESK_REPORTS_PER_HOUR=0`).
    reports: Option<DefaultKeyedRateLimiter<String>>,
    /// New reader cookies an address may be given an hour; `None` when off. Votes and poll
    /// answers count cookies, so cookies must not be free.
    new_readers: Option<DefaultKeyedRateLimiter<String>>,
}

/// The key an address is limited by: itself for IPv4, its /64 for IPv6 (a client is handed a
/// whole /64 and may take any address in it).
pub fn address_key(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        _ => ip.to_string(),
    }
}

impl Limits {
    pub fn per_minute(n: u32) -> Limits {
        Limits::new(n, 0, 0)
    }

    /// `per_minute` debate writes per address and per reader; `reports_per_hour` reports and
    /// `new_readers_per_hour` new reader cookies per address. Zero turns any of them off.
    pub fn new(per_minute: u32, reports_per_hour: u32, new_readers_per_hour: u32) -> Limits {
        Limits {
            limiters: NonZeroU32::new(per_minute).map(|n| {
                (
                    RateLimiter::keyed(Quota::per_minute(n)),
                    RateLimiter::keyed(Quota::per_minute(n)),
                )
            }),
            reports: NonZeroU32::new(reports_per_hour)
                .map(|n| RateLimiter::keyed(Quota::per_hour(n))),
            new_readers: NonZeroU32::new(new_readers_per_hour)
                .map(|n| RateLimiter::keyed(Quota::per_hour(n))),
        }
    }

    /// `Err(seconds)` to wait when the address has been given all the new reader cookies it
    /// may have this hour.
    pub fn check_new_reader(&self, ip: &str) -> Result<(), u64> {
        hourly(self.new_readers.as_ref(), ip)
    }

    /// `Err(seconds)` to wait when the address or the reader has used up its allowance.
    pub fn check(&self, ip: &str, reader: Option<&ReaderId>) -> Result<(), u64> {
        let Some((by_ip, by_reader)) = &self.limiters else {
            return Ok(());
        };
        let now = DefaultClock::default().now();
        let wait = |e: governor::NotUntil<_>| e.wait_time_from(now).as_secs().max(1);
        by_ip.check_key(&address_key(ip)).map_err(wait)?;
        if let Some(r) = reader {
            by_reader.check_key(&r.0).map_err(wait)?;
        }
        Ok(())
    }

    /// `Err(seconds)` to wait when the address has made all the reports it may this hour.
    pub fn check_report(&self, ip: &str) -> Result<(), u64> {
        hourly(self.reports.as_ref(), ip)
    }

    /// Forgets keys whose allowance is full again, so memory stays bounded.
    pub fn prune(&self) {
        if let Some((a, b)) = &self.limiters {
            a.retain_recent();
            b.retain_recent();
        }
        for r in [&self.reports, &self.new_readers].into_iter().flatten() {
            r.retain_recent();
        }
    }
}

/// One use of an hourly allowance per address, or the seconds to wait.
fn hourly(limiter: Option<&DefaultKeyedRateLimiter<String>>, ip: &str) -> Result<(), u64> {
    let Some(limiter) = limiter else {
        return Ok(());
    };
    let now = DefaultClock::default().now();
    limiter
        .check_key(&address_key(ip))
        .map_err(|e| e.wait_time_from(now).as_secs().max(1))
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
    fn an_ipv6_address_counts_by_its_64_block() {
        let limits = Limits::per_minute(1);
        assert!(limits.check("2001:db8:1:2::1", None).is_ok());
        assert!(limits.check("2001:db8:1:2:ffff::9", None).is_err());
        assert!(limits.check("2001:db8:1:3::1", None).is_ok());
        assert_eq!(address_key("192.0.2.7"), "192.0.2.7");
    }

    #[test]
    fn reports_have_an_allowance_of_their_own_per_address() {
        let limits = Limits::new(0, 2, 0);
        assert!(limits.check_report("2001:db8::1").is_ok());
        assert!(limits.check_report("2001:db8::2").is_ok());
        let wait = limits.check_report("2001:db8::3").unwrap_err();
        assert!(wait > 60, "an hour's allowance comes back slowly: {wait}");
        assert!(limits.check_report("192.0.2.1").is_ok());
        assert!(
            limits.check("2001:db8::1", None).is_ok(),
            "other writes are not limited"
        );
    }

    #[test]
    fn zero_turns_the_limits_off() {
        let limits = Limits::per_minute(0);
        for _ in 0..100 {
            assert!(limits.check("10.0.0.1", None).is_ok());
        }
    }
}
