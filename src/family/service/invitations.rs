//! Invitations by e-mail, each a single-use link that expires in a week
//! (`server::tokens`): a teenager of 14 or more to a login of their own, and
//! a second guardian (the other parent) into the family. Letters are
//! rate-limited per address and per sender, like every letter a form sends.
use crate::{
    domain::{
        Email,
        family::{OWN_LOGIN_AGE, age_on},
    },
    error::AppError,
    server::{
        audit,
        entities::{family_guardian, user},
        families,
        guards::{ActingFor, Student},
        links, mail, password, throttle,
        tokens::{self, Purpose},
    },
};
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;
use std::net::IpAddr;

/// Where the links of the letters lead.
pub const CHILD_LOGIN_PAGE: &str = "family/join";
pub const JOIN_FAMILY_PAGE: &str = "family/accept";

/// An address nobody signs in with yet, or the field's message.
async fn free_address(db: &impl sea_orm::ConnectionTrait, raw: &str) -> Result<Email, AppError> {
    let email = Email::parse(raw).map_err(|m| AppError::field("email", m))?;
    if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(db).await?.is_some() {
        return Err(AppError::field("email", "С этим адресом уже есть учётная запись: укажите другой."));
    }
    Ok(email)
}

/// A guardian invites their child of 14 or older to a login of their own.
pub async fn invite_child(
    db: &DatabaseConnection,
    site: &url::Url,
    who: &ActingFor,
    email: &str,
    client: IpAddr,
    today: NaiveDate,
) -> Result<(), AppError> {
    if !who.for_child() {
        return Err(AppError::Forbidden);
    }
    let txn = crate::server::db::write(db).await?;
    let child = user::Entity::find_by_id(who.id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if families::has_login(&child) {
        return Err(AppError::Conflict("У ребёнка уже есть свой вход.".into()));
    }
    if child.birth_date.is_none_or(|b| age_on(b, today) < OWN_LOGIN_AGE) {
        return Err(AppError::field("email", "Свой вход можно завести ребёнку с 14 лет; до тех пор записывайте его сами."));
    }
    let email = free_address(&txn, email).await?;
    if !throttle::may_send_letter(&txn, email.as_str(), client).await? {
        return Err(AppError::TooManyRequests);
    }
    let token = tokens::issue(&txn, &child, Purpose::ChildLogin, Some(email.to_string())).await?;
    mail::enqueue(&txn, mail::compose(
        email.as_str(),
        &child.full_name,
        "Ваш вход на сайт театральной школы",
        &[
            &format!("{} приглашает вас завести свой вход на сайт школы: вы будете видеть свои записи и расписание.", who.by().name),
            "Ссылка действует 7 дней и только один раз. Родители по-прежнему будут видеть ваши записи, пока вам не исполнится 18 лет.",
        ],
        Some(("Завести вход", &links::with_token(site, CHILD_LOGIN_PAGE, &token))),
    ))
    .await?;
    audit::record(&txn, who.by(), "family.child_invited", "user", Some(child.id), json!({ "email": [null, email.as_str()] })).await?;
    txn.commit().await?;
    Ok(())
}

/// The invited teenager sets a password: the child's account gets the
/// address the guardian gave, confirmed by the link. Returns it.
pub async fn accept_child_login(db: &DatabaseConnection, token: &str, password: String, confirm: &str) -> Result<String, AppError> {
    crate::account::service::check_new_password(&password, confirm, "password")?;
    let hash = password::hash(password).await;
    let txn = crate::server::db::write(db).await?;
    let (child, address) = tokens::redeem(&txn, token, Purpose::ChildLogin).await?;
    let email = free_address(&txn, address.as_deref().unwrap_or_default())
        .await
        .map_err(|_| AppError::Conflict("Этот адрес уже занят: попросите родителя прислать приглашение на другой.".into()))?;
    let now = Utc::now();
    let mut active: user::ActiveModel = child.clone().into();
    active.email = Set(email.to_string());
    active.password_hash = Set(hash);
    active.email_verified_at = Set(Some(now));
    active.session_epoch = Set(child.session_epoch + 1);
    active.updated_at = Set(now);
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(email.to_string())
}

/// A guardian invites someone (the other parent) to act for the family's
/// children too; they accept signed in with the address invited.
pub async fn invite_guardian(
    db: &DatabaseConnection,
    site: &url::Url,
    guardian: &Student,
    email: &str,
    client: IpAddr,
) -> Result<(), AppError> {
    let email = Email::parse(email).map_err(|m| AppError::field("email", m))?;
    let txn = crate::server::db::write(db).await?;
    if families::family_guarded_by(&txn, guardian.id).await?.is_none() {
        return Err(AppError::Conflict("Сначала добавьте в семью ребёнка.".into()));
    }
    let inviter = user::Entity::find_by_id(guardian.id).one(&txn).await?.ok_or(AppError::Unauthenticated)?;
    if email.as_str() == inviter.email {
        return Err(AppError::field("email", "Укажите адрес второго родителя, а не свой."));
    }
    if !throttle::may_send_letter(&txn, email.as_str(), client).await? {
        return Err(AppError::TooManyRequests);
    }
    let token = tokens::issue(&txn, &inviter, Purpose::JoinFamily, Some(email.to_string())).await?;
    mail::enqueue(&txn, mail::compose(
        email.as_str(),
        email.as_str(),
        "Приглашение в семью на сайте театральной школы",
        &[
            &format!("{} приглашает вас стать вторым представителем детей на сайте школы: записывать их на курсы, видеть их записи и получать письма о занятиях.", inviter.full_name),
            "Войдите или зарегистрируйтесь с этим адресом и откройте ссылку. Она действует 7 дней и только один раз.",
        ],
        Some(("Принять приглашение", &links::with_token(site, JOIN_FAMILY_PAGE, &token))),
    ))
    .await?;
    audit::record(&txn, guardian, "family.guardian_invited", "user", Some(guardian.id), json!({ "email": [null, email.as_str()] })).await?;
    txn.commit().await?;
    Ok(())
}

/// The invited person, signed in with the invited address, joins the family.
pub async fn accept_guardian(db: &DatabaseConnection, student: &Student, token: &str) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let (inviter, address) = tokens::redeem(&txn, token, Purpose::JoinFamily).await?;
    let me = user::Entity::find_by_id(student.id).one(&txn).await?.ok_or(AppError::Unauthenticated)?;
    if address.as_deref() != Some(me.email.as_str()) {
        return Err(AppError::Conflict("Приглашение отправлено на другой адрес: войдите с ним.".into()));
    }
    let family = families::family_guarded_by(&txn, inviter.id).await?.ok_or(AppError::LinkExpired)?;
    if families::family_guarded_by(&txn, me.id).await?.is_some() || !families::guardians_of(&txn, me.id).await?.is_empty() {
        return Err(AppError::Conflict("Вы уже состоите в другой семье на сайте школы.".into()));
    }
    family_guardian::ActiveModel { family_id: Set(family), user_id: Set(me.id), created_at: Set(Utc::now()), ..Default::default() }
        .insert(&txn)
        .await?;
    audit::record(&txn, student, "family.guardian_joined", "user", Some(me.id), json!({ "invited_by": [null, inviter.id] })).await?;
    txn.commit().await?;
    Ok(())
}
