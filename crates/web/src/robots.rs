//! robots.txt rules of one site, as the `texting_robots` parser reads them for citebot's agent
//! token, with the two cases RFC 9309 adds: a robots.txt that is not there (allow everything)
//! and one the server failed to give (allow nothing, this time).

use std::time::Duration;

use texting_robots::Robot;
use url::Url;

/// The product token citebot looks for in `User-agent` lines.
pub const AGENT: &str = "citebot";

/// What a site's robots.txt allows.
pub struct Robots {
    rules: Rules,
}

enum Rules {
    /// No robots.txt, or none citebot may read: everything is allowed.
    All,
    /// The parsed file.
    Parsed(Box<Robot>),
    /// The server failed to give its robots.txt: nothing is fetched this time, for this reason.
    Nothing(String),
}

impl Robots {
    /// A site without robots.txt.
    pub fn allow_all() -> Robots {
        Robots { rules: Rules::All }
    }

    /// A site whose robots.txt could not be had; `reason` says why.
    pub fn unavailable(reason: String) -> Robots {
        tracing::warn!("{reason}; nothing is fetched from the site this time");
        Robots {
            rules: Rules::Nothing(reason),
        }
    }

    /// The rules of a robots.txt file. One the parser cannot read at all allows everything, as
    /// a missing file would.
    pub fn parse(text: &[u8]) -> Robots {
        match Robot::new(AGENT, text) {
            Ok(robot) => Robots {
                rules: Rules::Parsed(Box::new(robot)),
            },
            Err(err) => {
                tracing::warn!(%err, "robots.txt cannot be parsed; reading it as empty");
                Robots::allow_all()
            }
        }
    }

    /// Whether citebot may fetch `url`; the reason when not.
    pub fn check(&self, url: &Url) -> Result<(), String> {
        match &self.rules {
            Rules::All => Ok(()),
            Rules::Parsed(robot) if robot.allowed(url.as_str()) => Ok(()),
            Rules::Parsed(_) => Err("disallowed by robots.txt".to_string()),
            Rules::Nothing(reason) => Err(reason.clone()),
        }
    }

    /// The pause the site asks for between two requests (`Crawl-delay`), zero when none.
    pub fn delay(&self) -> Duration {
        match &self.rules {
            Rules::Parsed(robot) => robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map_or(Duration::ZERO, |d| Duration::from_secs_f32(d.min(86_400.0))),
            _ => Duration::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_for_citebot_win_over_the_general_ones() {
        let robots = Robots::parse(
            b"User-agent: *\nDisallow: /\n\nUser-agent: citebot\nDisallow: /private/\nCrawl-delay: 2\n",
        );
        let url = |path: &str| Url::parse(&format!("https://blog.example{path}")).unwrap();
        assert!(robots.check(&url("/posts/a")).is_ok());
        assert_eq!(
            robots.check(&url("/private/minutes")).unwrap_err(),
            "disallowed by robots.txt"
        );
        assert_eq!(robots.delay(), Duration::from_secs(2));
        let closed = Robots::unavailable("its robots.txt answered HTTP 503".into());
        assert!(closed.check(&url("/posts/a")).is_err());
        assert!(Robots::allow_all().check(&url("/private/x")).is_ok());
    }
}
