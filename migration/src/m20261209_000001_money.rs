//! The school's money books (issue #34): accounts, entries, invoices.
//!
//! Amounts are whole kopecks (`BIGINT`). An account is a family's (its
//! children's lessons are paid by its guardians) or an adult student's.
//! `money_entries` is only appended to: a charge (negative), a payment
//! (positive), a refund (negative, naming its payment), a correction (the
//! opposite of a mistaken entry, with a reason). `money_accounts.balance`
//! is the sum of the account's entries, kept beside them in the same
//! transaction; `invoices.paid` is what its payments brought less their
//! refunds. Each form that writes money carries its key (unique).
//! Invoices are numbered per year without gaps: `invoice_counters`.
use crate::foreign_keys::fk;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        m.create_table(
            Table::create()
                .table("money_accounts")
                .if_not_exists()
                .col(pk_auto("id"))
                // The books outlive a family or an account: the account stays, unnamed.
                .col(integer_null("family_id").unique_key())
                .col(integer_null("user_id").unique_key())
                .col(big_integer("balance").default(0))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("money_accounts", "family_id", "families", SetNull))
                .foreign_key(&mut fk("money_accounts", "user_id", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("invoice_counters")
                .if_not_exists()
                .col(integer("year").primary_key())
                .col(integer("last"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("invoices")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("year"))
                .col(integer("seq"))
                .col(integer("account_id"))
                .col(integer_null("student_id"))
                .col(big_integer("total"))
                .col(big_integer("paid").default(0))
                .col(string_len("status", 16))
                .col(date("due_on"))
                .col(string_len_null("idempotency_key", 64).unique_key())
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("cancelled_at"))
                .foreign_key(&mut fk("invoices", "account_id", "money_accounts", Restrict))
                .foreign_key(&mut fk("invoices", "student_id", "users", SetNull))
                .foreign_key(&mut fk("invoices", "created_by", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("invoice_lines")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("invoice_id"))
                .col(string_len("description", 200))
                .col(big_integer("amount"))
                .col(integer_null("pass_id"))
                .foreign_key(&mut fk("invoice_lines", "invoice_id", "invoices", Cascade))
                .foreign_key(&mut fk("invoice_lines", "pass_id", "passes", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("money_entries")
                .if_not_exists()
                .col(pk_auto("id"))
                .col(integer("account_id"))
                .col(string_len("kind", 16))
                .col(big_integer("amount"))
                .col(integer_null("invoice_id"))
                // A refund's payment; a correction's mistaken entry.
                .col(integer_null("entry_id"))
                .col(string_len_null("method", 16))
                .col(string_len_null("receipt_number", 64))
                .col(date_null("paid_on"))
                .col(string_len_null("reason", 200))
                .col(string_len_null("idempotency_key", 64).unique_key())
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("money_entries", "account_id", "money_accounts", Restrict))
                .foreign_key(&mut fk("money_entries", "invoice_id", "invoices", Restrict))
                .foreign_key(&mut fk("money_entries", "entry_id", "money_entries", Restrict))
                .foreign_key(&mut fk("money_entries", "created_by", "users", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_invoices_year_seq").table("invoices").col("year").col("seq").unique().if_not_exists().to_owned(),
        )
        .await?;
        for (table, column) in [
            ("invoices", "account_id"),
            ("invoice_lines", "invoice_id"),
            ("invoice_lines", "pass_id"),
            ("money_entries", "account_id"),
            ("money_entries", "invoice_id"),
            ("money_entries", "entry_id"),
        ] {
            m.create_index(
                Index::create().name(format!("ix_{table}_{column}")).table(table).col(column).if_not_exists().to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["money_entries", "invoice_lines", "invoices", "invoice_counters", "money_accounts"] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
