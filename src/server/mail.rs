//! Mail that loses nothing: every message is first written to the `outbox`
//! table in the transaction of the change that causes it; a worker delivers
//! it later (SMTP with `SMTP_URL`, `.eml` files otherwise) and retries with
//! backoff while the mail server is down.
use super::entities::outbox;
use chrono::{Duration, Utc};
use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use std::path::PathBuf;
use crate::domain::{school::School, text::escape_html};

/// A message waiting to be queued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// (file name, MIME type, text content), e.g. an `.ics` invitation.
    pub attachment: Option<(String, String, String)>,
}

/// After this many failed attempts a message is marked failed for good.
pub const MAX_ATTEMPTS: i32 = 12;

/// Queues `mail` inside the caller's transaction, signed with the school's
/// details as the office set them at this moment.
pub async fn enqueue(db: &impl ConnectionTrait, mail: Mail) -> Result<(), DbErr> {
    enqueue_signed(db, mail, &super::settings::school(db).await?).await
}

/// [`enqueue`] for a batch of letters: the caller reads the school's
/// details once for all of them.
pub async fn enqueue_signed(db: &impl ConnectionTrait, mut mail: Mail, school: &School) -> Result<(), DbErr> {
    // A child without a login has a reserved address: their letters go to
    // their guardians (`compose_about`), and nothing is ever sent there.
    if !super::families::is_deliverable(&mail.to) {
        return Ok(());
    }
    sign(&mut mail, school);
    let now = Utc::now();
    let (attachment_name, attachment_mime, attachment_body) = match mail.attachment {
        Some((n, m, b)) => (Some(n), Some(m), Some(b)),
        None => (None, None, None),
    };
    outbox::ActiveModel {
        to_addr: Set(mail.to),
        subject: Set(mail.subject),
        body_text: Set(mail.text),
        body_html: Set(mail.html),
        attachment_name: Set(attachment_name),
        attachment_mime: Set(attachment_mime),
        attachment_body: Set(attachment_body),
        status: Set("queued".into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

fn sign(mail: &mut Mail, school: &School) {
    let contacts: Vec<&str> =
        [school.address.as_str(), school.phone.as_str(), school.email.as_str()].into_iter().filter(|c| !c.is_empty()).collect();
    let signature = format!("— Театральная школа «{}»", school.name);
    mail.text.push_str(&format!("{signature}\n"));
    if !contacts.is_empty() {
        mail.text.push_str(&format!("{}\n", contacts.join(" · ")));
    }
    let html = format!(
        "<p style=\"font-family:Arial,sans-serif;font-size:15px;color:#1f1a17\">{}<br>\
         <span style=\"font-size:13px;color:#6b625c\">{}</span></p>",
        escape_html(&signature),
        escape_html(&contacts.join(" · "))
    );
    mail.html.push_str(&html);
}

/// Where delivered mail goes.
#[derive(Clone)]
pub enum Transport {
    /// `.eml` files in a directory: development, demos and tests.
    Files(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Transport {
    pub fn from_config(config: &super::Config) -> Result<Transport, String> {
        match &config.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url.as_str())
                .map(|b| Transport::Smtp(b.build()))
                .map_err(|e| format!("SMTP_URL: {e}")),
            None => {
                let dir = config.data_dir.join("outbox");
                std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                Ok(Transport::Files(dir))
            }
        }
    }

    async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Transport::Files(dir) => AsyncFileTransport::<Tokio1Executor>::new(dir)
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

fn build(row: &outbox::Model, from: &Mailbox) -> Result<Message, String> {
    let to: Mailbox = row.to_addr.parse().map_err(|e| format!("address: {e}"))?;
    let body = MultiPart::alternative()
        .singlepart(SinglePart::plain(row.body_text.clone()))
        .singlepart(SinglePart::html(row.body_html.clone()));
    let body = match (&row.attachment_name, &row.attachment_mime, &row.attachment_body) {
        (Some(name), Some(mime), Some(content)) => MultiPart::mixed().multipart(body).singlepart(
            Attachment::new(name.clone()).body(
                content.clone(),
                ContentType::parse(mime).map_err(|e| e.to_string())?,
            ),
        ),
        _ => body,
    };
    Message::builder()
        .message_id(Some(message_id(row, from)))
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .multipart(body)
        .map_err(|e| e.to_string())
}

/// The letter's `Message-ID`, the same at every attempt: a receiving server
/// or mail client that got it already knows a resend for the same letter.
fn message_id(row: &outbox::Model, from: &Mailbox) -> String {
    format!("<kulisy.{}.{}@{}>", row.id, row.created_at.timestamp(), from.email.domain())
}

/// Waiting time before attempt number `attempts + 1`: the first retries
/// come within seconds (a mail server restarting is back by then), then
/// the wait doubles from one minute up to an hour.
pub fn backoff(attempts: i32) -> Duration {
    match attempts {
        ..=1 => Duration::seconds(10),
        2 => Duration::seconds(30),
        n => Duration::minutes((1i64 << (n - 3).clamp(0, 6)).min(60)),
    }
}

/// How long a claimed message is left to the process that claimed it; past
/// that (the process died mid-send) another one takes it over.
const CLAIM: Duration = Duration::minutes(10);

/// Delivers the messages that are due; returns how many went out. Any
/// number of processes may run this at once: each message is claimed by a
/// conditional update before it is sent, so only one of them sends it.
pub async fn deliver_due(db: &DatabaseConnection, transport: &Transport, from: &Mailbox) -> Result<usize, DbErr> {
    let now = Utc::now();
    let due = outbox::Entity::find()
        .filter(outbox::Column::Status.is_in(["queued", "sending"]))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let mut sent = 0;
    for row in due {
        let claimed = outbox::Entity::update_many()
            .col_expr(outbox::Column::Status, Expr::value("sending"))
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(Utc::now() + CLAIM))
            .filter(outbox::Column::Id.eq(row.id))
            .filter(outbox::Column::Status.eq(row.status.clone()))
            // A claim moves this into the future: a second claimer finds nothing.
            .filter(outbox::Column::NextAttemptAt.lte(now))
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue; // another process has it
        }
        let result = match build(&row, from) {
            Ok(message) => transport.send(message).await,
            Err(e) => Err(e),
        };
        let attempts = row.attempts + 1;
        let mut active: outbox::ActiveModel = row.into();
        active.attempts = Set(attempts);
        match result {
            Ok(()) => {
                active.status = Set("sent".into());
                active.sent_at = Set(Some(Utc::now()));
                active.last_error = Set(None);
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(%error, attempts, "mail delivery failed");
                active.last_error = Set(Some(error.chars().take(1000).collect()));
                if attempts >= MAX_ATTEMPTS {
                    active.status = Set("failed".into());
                } else {
                    active.status = Set("queued".into());
                    active.next_attempt_at = Set(Utc::now() + backoff(attempts));
                }
            }
        }
        active.update(db).await?;
    }
    Ok(sent)
}

/// Delivers queued mail every few seconds for as long as the server runs.
pub fn spawn_worker(db: DatabaseConnection, transport: Transport, from: Mailbox) {
    super::workers::every("outbox", std::time::Duration::from_secs(2), move || {
        let (db, transport, from) = (db.clone(), transport.clone(), from.clone());
        async move { deliver_due(&db, &transport, &from).await.map(|sent| sent as u64) }
    });
}

/// Someone a letter is written to: an account, or a guard that carries
/// the address (a student booking).
pub trait Addressee {
    fn address(&self) -> &str;
    fn name(&self) -> &str;
}

impl Addressee for super::entities::user::Model {
    fn address(&self) -> &str {
        &self.email
    }

    fn name(&self) -> &str {
        &self.full_name
    }
}

/// A letter about a student, once for each of its readers: the student when
/// they sign in themselves, and their guardians while the family holds them
/// (`server::families`), whose copy first says whom it is about.
pub async fn compose_about(
    db: &impl ConnectionTrait,
    person_id: i32,
    person: &impl Addressee,
    subject: &str,
    paragraphs: &[&str],
    link: Option<(&str, &str)>,
) -> Result<Vec<Mail>, DbErr> {
    let mut letters = Vec::new();
    if super::families::is_deliverable(person.address()) {
        letters.push(compose(person.address(), person.name(), subject, paragraphs, link));
    }
    let about = format!("Вы получаете это письмо как представитель ученика: {}.", person.name());
    let with_about: Vec<&str> = std::iter::once(about.as_str()).chain(paragraphs.iter().copied()).collect();
    for guardian in super::families::guardians_of(db, person_id).await? {
        if guardian.is_active && guardian.id != person_id {
            letters.push(compose(&guardian.email, &guardian.full_name, subject, &with_about, link));
        }
    }
    Ok(letters)
}

/// A message in the school's voice: a greeting, paragraphs, and an optional
/// button with its link also written out in full. [`enqueue`] signs it.
pub fn compose(to: &str, name: &str, subject: &str, paragraphs: &[&str], link: Option<(&str, &str)>) -> Mail {
    let mut text = format!("Здравствуйте, {name}!\n\n");
    let mut html = format!(
        "<div style=\"font-family:Arial,sans-serif;font-size:15px;line-height:1.5;color:#1f1a17\">\
         <p>Здравствуйте, {}!</p>",
        escape_html(name)
    );
    for p in paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape_html(p)));
    }
    if let Some((label, url)) = link {
        text.push_str(&format!("{label}: {url}\n\n"));
        let url = escape_html(url);
        html.push_str(&format!(
            "<p><a href=\"{url}\" style=\"display:inline-block;padding:10px 18px;background:#c8962c;\
             color:#1f1a17;text-decoration:none;border-radius:6px;font-weight:bold\">{}</a></p>\
             <p style=\"font-size:13px;color:#6b625c\">Если кнопка не работает, откройте ссылку: {url}</p>",
            escape_html(label)
        ));
    }
    html.push_str("</div>");
    Mail { to: to.to_string(), subject: subject.to_string(), text, html, attachment: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_come_within_seconds_then_back_off_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(10));
        assert_eq!(backoff(2), Duration::seconds(30));
        assert_eq!(backoff(3), Duration::minutes(1));
        assert_eq!(backoff(4), Duration::minutes(2));
        assert_eq!(backoff(8), Duration::minutes(32));
        assert_eq!(backoff(9), Duration::minutes(60));
        assert_eq!(backoff(30), Duration::minutes(60));
        // A three-minute outage is over by the fifth attempt, 3 min 40 s in.
        let waited: i64 = (1..=4).map(|a| backoff(a).num_seconds()).sum();
        assert!((180..=240).contains(&waited), "{waited}");
    }

    #[test]
    fn composed_mail_escapes_names_in_html() {
        let m = compose("a@b.ru", "<b>Анна</b>", "Тема", &["Текст & ещё"], Some(("Открыть", "http://x/?a=1&b=2")));
        assert!(m.html.contains("&lt;b&gt;Анна&lt;/b&gt;"));
        assert!(m.html.contains("Текст &amp; ещё"));
        assert!(m.text.contains("Открыть: http://x/?a=1&b=2"));
        assert!(m.text.starts_with("Здравствуйте, <b>Анна</b>!"));
    }
}
