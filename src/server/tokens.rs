//! Single-use links sent by e-mail: confirming an address, resetting a
//! password, confirming a new address. One table, one set of rules: random,
//! stored only as a hash, expiring, usable once, and dead as soon as the
//! user's password changes (the token remembers the `session_epoch`).
use super::{crypto, entities::{account_token, user}};
use crate::error::AppError;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    ConfirmEmail,
    ResetPassword,
    ChangeEmail,
    /// The second step of signing in: the password was right, a code is due.
    SignInCode,
    /// A teenager's own login, sent by a guardian: the token is the child's,
    /// its payload the address the child will sign in with.
    ChildLogin,
    /// Joining a family as its second guardian: the token is the inviting
    /// guardian's, its payload the invited person's address.
    JoinFamily,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::ChangeEmail => "change_email",
            Purpose::SignInCode => "sign_in_code",
            Purpose::ChildLogin => "child_login",
            Purpose::JoinFamily => "join_family",
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::ResetPassword => Duration::hours(1),
            Purpose::SignInCode => Duration::minutes(10),
            Purpose::ConfirmEmail | Purpose::ChangeEmail => Duration::days(2),
            Purpose::ChildLogin | Purpose::JoinFamily => Duration::days(7),
        }
    }
}

/// Issues a token and returns its clear value (for the link); earlier unused
/// tokens of the same purpose stop working. They are marked spent rather
/// than deleted, so that an older link can still say whose it was.
pub async fn issue(
    db: &impl ConnectionTrait,
    u: &user::Model,
    purpose: Purpose,
    payload: Option<String>,
) -> Result<String, AppError> {
    let now = Utc::now();
    account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(account_token::Column::UserId.eq(u.id))
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    let token = crypto::random_token();
    account_token::ActiveModel {
        user_id: Set(u.id),
        purpose: Set(purpose.as_str().into()),
        token_hash: Set(crypto::token_hash(&token)),
        payload: Set(payload),
        session_epoch: Set(u.session_epoch),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The live token's row and user, without spending it.
async fn live(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
) -> Result<(account_token::Model, user::Model), AppError> {
    let invalid = || AppError::LinkExpired;
    let row = row_of(db, token, purpose).await?.ok_or_else(invalid)?;
    let now = Utc::now();
    if row.used_at.is_some() || row.expires_at <= now {
        return Err(invalid());
    }
    let u = user::Entity::find_by_id(row.user_id).one(db).await?.ok_or_else(invalid)?;
    if u.session_epoch != row.session_epoch || !u.is_active {
        return Err(invalid());
    }
    Ok((row, u))
}

/// Whom a token was issued to, whatever became of it since (spent, expired,
/// replaced by a newer one): what a dead link can still tell.
pub async fn issued_to(db: &impl ConnectionTrait, token: &str, purpose: Purpose) -> Result<Option<user::Model>, AppError> {
    let Some(row) = row_of(db, token, purpose).await? else { return Ok(None) };
    Ok(user::Entity::find_by_id(row.user_id).one(db).await?)
}

async fn row_of(db: &impl ConnectionTrait, token: &str, purpose: Purpose) -> Result<Option<account_token::Model>, AppError> {
    Ok(account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(crypto::token_hash(token.trim())))
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .one(db)
        .await?)
}

/// Whose live token this is, leaving it unspent (a sign-in waiting for its code).
pub async fn holder(db: &impl ConnectionTrait, token: &str, purpose: Purpose) -> Result<(user::Model, Option<String>), AppError> {
    live(db, token, purpose).await.map(|(row, u)| (u, row.payload))
}

/// Spends a token: returns its user and payload, and marks it used, inside
/// the caller's transaction. Every way a token can be bad gives one message.
pub async fn redeem(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
) -> Result<(user::Model, Option<String>), AppError> {
    let (row, u) = live(db, token, purpose).await?;
    let now = Utc::now();
    // Marking it used only if still unused makes a double submit harmless.
    let marked = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(account_token::Column::Id.eq(row.id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if marked.rows_affected != 1 {
        return Err(AppError::LinkExpired);
    }
    Ok((u, row.payload))
}

/// The payload of a live, unused token of `purpose`, if there is one.
pub async fn pending_payload(
    db: &impl ConnectionTrait,
    u: &user::Model,
    purpose: Purpose,
) -> Result<Option<String>, AppError> {
    Ok(account_token::Entity::find()
        .filter(account_token::Column::UserId.eq(u.id))
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(Utc::now()))
        .filter(account_token::Column::SessionEpoch.eq(u.session_epoch))
        .one(db)
        .await?
        .and_then(|t| t.payload))
}
