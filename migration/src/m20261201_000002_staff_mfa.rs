//! Sign-in codes for staff (TOTP): the last time step accepted (a code is
//! good once), single-use recovery codes (hashes only), and the school's
//! settings, where "staff must use codes" lives.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if !m.has_column("users", "totp_last_step").await? {
            m.alter_table(Table::alter().table("users").add_column(big_integer_null("totp_last_step")).to_owned())
                .await?;
        }
        m.create_table(
            Table::create()
                .table("mfa_recovery_codes")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(string_len("code_hash", 64))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_mfa_recovery_codes_user_id")
                        .from("mfa_recovery_codes", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_mfa_recovery_codes_user_id")
                .table("mfa_recovery_codes")
                .col("user_id")
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("school_settings")
                .if_not_exists()
                .col(string_len("key", 64).primary_key())
                .col(string_len("value", 500))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("school_settings").to_owned()).await?;
        m.drop_table(Table::drop().table("mfa_recovery_codes").to_owned()).await?;
        m.alter_table(Table::alter().table("users").drop_column("totp_last_step").to_owned()).await
    }
}
