//! The page routes, recorded with their methods as they are added, because axum cannot list
//! the routes of a built router and the authorization tests must cover every page and form.

use crate::state::AppState;
use axum::Router;
use axum::routing::MethodRouter;

/// One method of one page route, such as `GET /tasks/{id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRoute {
    pub method: &'static str,
    pub path: &'static str,
}

/// A router under construction with the list of what it serves.
#[derive(Default)]
pub(super) struct Routes {
    router: Router<AppState>,
    list: Vec<PageRoute>,
}

impl Routes {
    /// Adds `handler` at `path`. `methods` must name exactly the methods `handler` answers:
    /// the authorization tests send every other method and expect 405.
    pub(super) fn add(
        mut self,
        path: &'static str,
        methods: &[&'static str],
        handler: MethodRouter<AppState>,
    ) -> Self {
        self.router = self.router.route(path, handler);
        self.list
            .extend(methods.iter().map(|&method| PageRoute { method, path }));
        self
    }

    pub(super) fn into_router(self) -> Router<AppState> {
        self.router
    }

    pub(super) fn into_list(self) -> Vec<PageRoute> {
        self.list
    }
}
