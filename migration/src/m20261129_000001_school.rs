//! The first cut of the whole domain (see shared/DESIGN.md). Later features add
//! their own migrations after this one; never edit it once released.
//!
//! Conventions: integer surrogate keys, UTC instants as `timestamp with time
//! zone`, calendar values (term dates, slot times) as plain `date`/`time` in the
//! school's own zone, enumerations as short strings checked by the application.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn created_updated(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
}

fn fk(
    from_table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, "id")
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(table: &'static str, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{}", cols.join("_")))
        .table(table)
        .if_not_exists();
    for col in cols {
        stmt.col(*col);
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

/// Tables in creation order; dropped in reverse.
const TABLES: &[&str] = &[
    "users",
    "teachers",
    "courses",
    "course_teachers",
    "course_slots",
    "enrollments",
    "attendance",
    "media",
    "portfolio_items",
    "reviews",
    "shows",
    "sessions",
    "account_tokens",
    "outbox",
    "audit_log",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        m.create_table(
            created_updated(
                Table::create()
                    .table("users")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    // Stored lowercased by the application; unique across the school.
                    .col(string_len_uniq("email", 254))
                    .col(string("password_hash"))
                    .col(string_len("role", 16))
                    .col(string_len("full_name", 200))
                    .col(string_len_null("phone", 40))
                    .col(text_null("contacts"))
                    .col(text_null("about"))
                    .col(string_len_null("avatar_key", 100))
                    .col(boolean("is_active").default(true))
                    .col(timestamp_with_time_zone_null("email_verified_at"))
                    .col(timestamp_with_time_zone_null("last_login_at"))
                    // Bumping it invalidates every session of the user at once.
                    .col(integer("session_epoch").default(0))
                    .col(integer("failed_logins").default(0))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(string_null("totp_secret"))
                    .col(timestamp_with_time_zone_null("totp_enabled_at")),
            )
            .to_owned(),
        )
        .await?;
        m.create_index(index("users", &["role"], false)).await?;

        m.create_table(
            created_updated(
                Table::create()
                    .table("teachers")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer_uniq("user_id"))
                    .col(string_len("specialization", 200))
                    .col(text("bio"))
                    .col(string_len_null("photo_key", 100))
                    .foreign_key(&mut fk("teachers", "user_id", "users", Cascade)),
            )
            .to_owned(),
        )
        .await?;

        m.create_table(
            created_updated(
                Table::create()
                    .table("courses")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_len("title", 200))
                    .col(text("description"))
                    .col(integer("capacity"))
                    .col(date("term_start"))
                    .col(date("term_end"))
                    .col(boolean("offers_personal"))
                    .col(boolean("offers_pair"))
                    .col(boolean("is_published").default(false))
                    // Enrollment writes bump it first: on both databases that takes
                    // the per-course write lock before seats are counted.
                    .col(integer("seat_version").default(0))
                    .col(timestamp_with_time_zone_null("archived_at")),
            )
            .to_owned(),
        )
        .await?;
        m.create_index(index("courses", &["is_published", "term_start"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("course_teachers")
                .if_not_exists()
                .col(integer("course_id"))
                .col(integer("teacher_id"))
                .primary_key(Index::create().col("course_id").col("teacher_id"))
                .foreign_key(&mut fk("course_teachers", "course_id", "courses", Cascade))
                // A teacher who still teaches must be replaced before removal.
                .foreign_key(&mut fk("course_teachers", "teacher_id", "teachers", Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index("course_teachers", &["teacher_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("course_slots")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("course_id"))
                // ISO weekday: 1 = Monday … 7 = Sunday.
                .col(small_integer("weekday"))
                .col(time("starts_at"))
                .col(integer("duration_minutes"))
                .col(string_len("room", 100))
                .foreign_key(&mut fk("course_slots", "course_id", "courses", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("course_slots", &["course_id"], false))
            .await?;

        m.create_table(
            created_updated(
                Table::create()
                    .table("enrollments")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    // NULL once the student deleted the account: history stays, anonymised.
                    .col(integer_null("student_id"))
                    .col(integer("course_id"))
                    .col(integer_null("teacher_id"))
                    .col(string_len("format", 16))
                    .col(integer_null("partner_id"))
                    .col(string_len_null("partner_status", 16))
                    .col(date("period_start"))
                    .col(date("period_end"))
                    .col(string_len("status", 16))
                    // Seats this request holds while pending or confirmed (pair = 2).
                    .col(small_integer("seats"))
                    .col(text_null("reason"))
                    .col(integer_null("decided_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .foreign_key(&mut fk("enrollments", "student_id", "users", SetNull))
                    .foreign_key(&mut fk("enrollments", "course_id", "courses", Restrict))
                    .foreign_key(&mut fk("enrollments", "teacher_id", "teachers", SetNull))
                    .foreign_key(&mut fk("enrollments", "partner_id", "users", SetNull))
                    .foreign_key(&mut fk("enrollments", "decided_by", "users", SetNull)),
            )
            .to_owned(),
        )
        .await?;
        m.create_index(index("enrollments", &["course_id", "status"], false))
            .await?;
        m.create_index(index("enrollments", &["student_id", "status"], false))
            .await?;
        m.create_index(index("enrollments", &["teacher_id", "status"], false))
            .await?;
        m.create_index(index("enrollments", &["partner_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("attendance")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("enrollment_id"))
                .col(date("session_date"))
                .col(boolean("present"))
                .col(integer_null("marked_by"))
                .col(timestamp_with_time_zone("marked_at"))
                .foreign_key(&mut fk("attendance", "enrollment_id", "enrollments", Cascade))
                .foreign_key(&mut fk("attendance", "marked_by", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("attendance", &["enrollment_id", "session_date"], true))
            .await?;

        m.create_table(
            Table::create()
                .table("media")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("owner_id"))
                .col(string_len("kind", 16))
                // Sniffed from the bytes, never taken from the client.
                .col(string_len("mime", 100))
                .col(big_integer("size_bytes"))
                .col(string_len_uniq("storage_key", 100))
                .col(integer_null("width"))
                .col(integer_null("height"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("media", "owner_id", "users", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("media", &["owner_id"], false)).await?;

        m.create_table(
            created_updated(
                Table::create()
                    .table("portfolio_items")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("owner_id"))
                    .col(string_len("kind", 16))
                    .col(string_len("title", 200))
                    .col(text("description"))
                    .col(integer_null("media_id"))
                    .col(date_null("occurred_on"))
                    .col(integer("position"))
                    .col(boolean("is_public").default(false))
                    .foreign_key(&mut fk("portfolio_items", "owner_id", "users", Cascade))
                    .foreign_key(&mut fk("portfolio_items", "media_id", "media", SetNull)),
            )
            .to_owned(),
        )
        .await?;
        m.create_index(index("portfolio_items", &["owner_id", "position"], false))
            .await?;

        m.create_table(
            created_updated(
                Table::create()
                    .table("reviews")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer_null("author_id"))
                    // One review per enrollment.
                    .col(integer_null("enrollment_id").unique_key())
                    .col(integer("course_id"))
                    .col(integer_null("teacher_id"))
                    .col(small_integer("rating"))
                    .col(text("body"))
                    .col(string_len("status", 16))
                    .col(integer_null("moderator_id"))
                    .col(text_null("moderation_note"))
                    .col(boolean("edited_by_moderator").default(false))
                    .col(timestamp_with_time_zone_null("published_at"))
                    .foreign_key(&mut fk("reviews", "author_id", "users", SetNull))
                    .foreign_key(&mut fk("reviews", "enrollment_id", "enrollments", SetNull))
                    .foreign_key(&mut fk("reviews", "course_id", "courses", Cascade))
                    .foreign_key(&mut fk("reviews", "teacher_id", "teachers", SetNull))
                    .foreign_key(&mut fk("reviews", "moderator_id", "users", SetNull)),
            )
            .to_owned(),
        )
        .await?;
        m.create_index(index("reviews", &["course_id", "status"], false))
            .await?;
        m.create_index(index("reviews", &["status", "created_at"], false))
            .await?;

        m.create_table(
            created_updated(
                Table::create()
                    .table("shows")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_len("title", 200))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(string_len("venue", 200))
                    .col(text("description"))
                    .col(string_len_null("poster_key", 100)),
            )
            .to_owned(),
        )
        .await?;
        m.create_index(index("shows", &["starts_at"], false)).await?;

        m.create_table(
            Table::create()
                .table("sessions")
                .if_not_exists()
                // SHA-256 of the cookie value: a leaked table opens no session.
                .col(string_len("id", 64).primary_key())
                .col(integer("user_id"))
                .col(integer("session_epoch"))
                .col(boolean("remember"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_seen_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(string_len_null("user_agent", 300))
                .foreign_key(&mut fk("sessions", "user_id", "users", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sessions", &["user_id"], false)).await?;
        m.create_index(index("sessions", &["expires_at"], false)).await?;

        // One table for every single-use e-mailed link (password reset, address
        // confirmation, e-mail change, staff invitation): same rules, one place.
        m.create_table(
            Table::create()
                .table("account_tokens")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(string_len("purpose", 24))
                .col(string_len_uniq("token_hash", 64))
                // E.g. the new address for an e-mail change.
                .col(string_len_null("payload", 254))
                .col(integer("session_epoch"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .foreign_key(&mut fk("account_tokens", "user_id", "users", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("account_tokens", &["user_id", "purpose"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("outbox")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(string_len("to_addr", 254))
                .col(string_len("subject", 300))
                .col(text("body_text"))
                .col(text("body_html"))
                .col(string_len_null("attachment_name", 200))
                .col(string_len_null("attachment_mime", 100))
                .col(text_null("attachment_body"))
                .col(string_len("status", 16))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("outbox", &["status", "next_attempt_at"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("audit_log")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer_null("actor_id"))
                .col(string_len("action", 40))
                .col(string_len("entity", 40))
                .col(integer_null("entity_id"))
                // JSON object: {"field": [before, after], …}
                .col(text("changes"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("audit_log", "actor_id", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("audit_log", &["entity", "entity_id"], false))
            .await?;
        m.create_index(index("audit_log", &["created_at"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(*table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
