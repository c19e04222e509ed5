//! The frame every newsroom page shares: its heading, the navigation the person's role may
//! use (and only that), who is signed in with the logout form, and a notice after an action.

use crate::http::error::AppError;
use crate::render::layout::Layout;
use crate::services::staff::Staff;
use crate::state::AppState;
use newsdesk_core::Role;

/// One entry of the newsroom's navigation.
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    /// Matched against the page's tab to mark the current page.
    pub tab: &'static str,
}

pub struct Frame {
    pub heading: String,
    pub tab: &'static str,
    pub csrf: String,
    pub who: String,
    pub role: &'static str,
    pub notice: Option<String>,
    pub nav: Vec<NavLink>,
}

/// The newsroom's pages a role may use, in the order the navigation lists them.
pub fn nav_for(role: Role) -> Vec<NavLink> {
    let mut nav = vec![NavLink {
        href: "/admin/",
        label: "Home",
        tab: "home",
    }];
    if role.writes_stories() {
        nav.extend([
            NavLink {
                href: "/admin/stories",
                label: "Stories",
                tab: "stories",
            },
            NavLink {
                href: "/admin/stories/new",
                label: "New story",
                tab: "new",
            },
            NavLink {
                href: "/admin/media",
                label: "Pictures",
                tab: "media",
            },
        ]);
    }
    if matches!(role, Role::Editor | Role::Admin) {
        nav.push(NavLink {
            href: "/admin/pages",
            label: "Site pages",
            tab: "pages",
        });
    }
    if matches!(role, Role::Moderator | Role::Admin) {
        nav.extend([
            NavLink {
                href: "/admin/moderation?kind=held",
                label: "Held",
                tab: "held",
            },
            NavLink {
                href: "/admin/moderation?kind=flagged",
                label: "Flagged",
                tab: "flagged",
            },
            NavLink {
                href: "/admin/moderation?kind=spam",
                label: "Spam",
                tab: "spam",
            },
            NavLink {
                href: "/admin/moderation/bans",
                label: "Bans",
                tab: "bans",
            },
            NavLink {
                href: "/admin/moderation/debate",
                label: "Debate and modes",
                tab: "debate",
            },
            NavLink {
                href: "/admin/moderation/log",
                label: "Log",
                tab: "log",
            },
        ]);
    }
    if role == Role::Admin {
        nav.extend([
            NavLink {
                href: "/admin/people",
                label: "People",
                tab: "people",
            },
            NavLink {
                href: "/admin/settings",
                label: "Settings",
                tab: "settings",
            },
            NavLink {
                href: "/admin/audit",
                label: "Audit log",
                tab: "audit",
            },
        ]);
    }
    if role != Role::Reader {
        nav.push(NavLink {
            href: "/admin/account",
            label: "Your account",
            tab: "account",
        });
    }
    nav
}

impl Frame {
    /// The frame of a page, with the site's layout it sits in.
    pub async fn new(
        state: &AppState,
        staff: &Staff,
        heading: &str,
        tab: &'static str,
        notice: Option<String>,
    ) -> Result<(Layout, Frame), AppError> {
        let layout = Layout::load(state, "admin", chrono::Utc::now()).await?;
        Ok((
            layout,
            Frame {
                heading: heading.into(),
                tab,
                csrf: staff.csrf.clone(),
                who: staff.user.email.clone(),
                role: staff.user.role.as_str(),
                notice: super::respond::notice(notice),
                nav: nav_for(staff.user.role),
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_only_the_pages_it_may_use() {
        let tabs = |r| nav_for(r).iter().map(|n| n.tab).collect::<Vec<_>>();
        assert_eq!(
            tabs(Role::Contributor),
            ["home", "stories", "new", "media", "account"]
        );
        assert_eq!(
            tabs(Role::Editor),
            ["home", "stories", "new", "media", "pages", "account"]
        );
        assert!(!tabs(Role::Author).contains(&"pages"));
        assert!(tabs(Role::Admin).contains(&"pages"));
        assert!(!tabs(Role::Editor).contains(&"people"));
        assert!(tabs(Role::Admin).contains(&"audit"));
        assert_eq!(tabs(Role::Moderator)[..2], ["home", "held"]);
        assert!(tabs(Role::Moderator).contains(&"bans"));
        assert!(tabs(Role::Admin).contains(&"log"));
    }
}
