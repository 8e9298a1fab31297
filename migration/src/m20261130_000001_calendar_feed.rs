//! Personal calendar subscriptions. The feed's secret address is derived
//! from the server's key, the user and a random nonce kept here, so the
//! address can be shown again at any time and revoked by drawing a new
//! nonce; NULL means the feed is off.
use sea_orm_migration::{prelude::*, schema::*};

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
        m.drop_index(Index::drop().name("ix_enrollments_course_id_period_end").table("enrollments").to_owned())
            .await?;
        m.alter_table(Table::alter().table("users").drop_column("calendar_feed_nonce").to_owned())
            .await
    }
}
