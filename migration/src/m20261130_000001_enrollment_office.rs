//! What schedule, enrollment and the office added to the first schema.
//!
//! `users.search_key` holds the lowercased name and address: SQLite's
//! `lower()` knows only ASCII, so a case-insensitive search for Cyrillic
//! names needs the application to lowercase (it does, on every save).
//!
//! `users.calendar_feed_nonce`: the calendar feed's secret address is derived
//! from the server's key, the user and a random nonce kept here, so the
//! address can be shown again at any time and revoked by drawing a new
//! nonce; NULL means the feed is off.
use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{ConnectionTrait, Statement},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if !m.has_column("users", "calendar_feed_nonce").await? {
            m.alter_table(
                Table::alter()
                    .table("users")
                    .add_column(integer_null("calendar_feed_nonce"))
                    .to_owned(),
            )
            .await?;
        }
        if !m.has_column("users", "search_key").await? {
            m.alter_table(
                Table::alter()
                    .table("users")
                    .add_column(string_len("search_key", 500).default(""))
                    .to_owned(),
            )
            .await?;
            // Existing people get their key now, lowercased the same way.
            let db = m.get_connection();
            let rows = db
                .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT id, full_name, email FROM users"))
                .await?;
            for row in rows {
                let id: i32 = row.try_get("", "id")?;
                let name: String = row.try_get("", "full_name")?;
                let email: String = row.try_get("", "email")?;
                m.exec_stmt(
                    Query::update()
                        .table("users")
                        .value("search_key", format!("{name} {email}").to_lowercase())
                        .and_where(Expr::col("id").eq(id))
                        .to_owned(),
                )
                .await?;
            }
        }
        // The office's people list sorts by name or by age, a page at a time.
        for (name, cols) in [
            ("ix_users_full_name_id", ["full_name", "id"]),
            ("ix_users_created_at_id", ["created_at", "id"]),
        ] {
            m.create_index(Index::create().name(name).table("users").col(cols[0]).col(cols[1]).if_not_exists().to_owned())
                .await?;
        }
        // Seat counts look up a course's bookings by period.
        m.create_index(
            Index::create()
                .name("ix_enrollments_course_id_period_end")
                .table("enrollments")
                .col("course_id")
                .col("period_end")
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_users_full_name_id", "ix_users_created_at_id"] {
            m.drop_index(Index::drop().name(name).table("users").to_owned()).await?;
        }
        m.drop_index(Index::drop().name("ix_enrollments_course_id_period_end").table("enrollments").to_owned())
            .await?;
        m.alter_table(Table::alter().table("users").drop_column("search_key").to_owned()).await?;
        m.alter_table(Table::alter().table("users").drop_column("calendar_feed_nonce").to_owned())
            .await
    }
}
