//! When a person agreed to the processing of their personal data (152-ФЗ):
//! asked at registration, kept with the account. Accounts made before the
//! question existed (and staff, whom the office adds) have none.
//!
//! The account lockout's columns go: failed sign-ins slow their source now
//! (`rate_limits`), they never lock an account.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if !m.has_column("users", "consented_at").await? {
            m.alter_table(
                Table::alter().table("users").add_column(timestamp_with_time_zone_null("consented_at")).to_owned(),
            )
            .await?;
        }
        // One column per statement: SQLite alters one thing at a time.
        for column in ["failed_logins", "locked_until"] {
            if m.has_column("users", column).await? {
                m.alter_table(Table::alter().table("users").drop_column(column).to_owned()).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("users").add_column(integer("failed_logins").default(0)).to_owned()).await?;
        m.alter_table(Table::alter().table("users").add_column(timestamp_with_time_zone_null("locked_until")).to_owned())
            .await?;
        m.alter_table(Table::alter().table("users").drop_column("consented_at").to_owned()).await
    }
}
