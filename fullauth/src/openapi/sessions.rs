//! The sessions router: a user's sessions (refresh-token families), and ending them.

use utoipa::openapi::path::HttpMethod::{Delete, Get, Post};

use super::context::Context;
use super::operation::{Caller, Op};
use super::schema_kit::{array, schema_of, string};
use crate::routes::SessionView;

pub(super) fn operations(context: &Context) -> Vec<Op> {
    let session = schema_of::<SessionView>();
    vec![
        context
            .op(
                Get,
                "/sessions",
                "sessions",
                "The user's sessions, most recently used first",
            )
            .caller(Caller::SignedIn)
            .answer(200, "The sessions.", array(session)),
        context
            .op(
                Post,
                "/sessions/revoke-others",
                "revoke_other_sessions",
                "End every other session",
            )
            .caller(Caller::SignedIn)
            .detail(200, "`Signed out N other session(s).`"),
        context
            .op(
                Delete,
                "/sessions/{family_id}",
                "revoke_session",
                "End one session",
            )
            .caller(Caller::SignedIn)
            .path_parameter("family_id", string().into(), "The session's `family_id`.")
            .empty(
                204,
                "Ended (also when it had ended already); its access tokens stop working at once.",
            )
            .detail(404, "`Session not found`: no such session of this user."),
    ]
}
