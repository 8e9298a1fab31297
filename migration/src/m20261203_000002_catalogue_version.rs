//! The catalogue's version: what the schedule's cards are read from changes
//! only together with it, so a server may keep the cards it read until the
//! version moves — the same in every process, since the database keeps it.
//!
//! Two parts, so that bookings do not queue on one row:
//! - `courses.seat_version` moves with every change of a course's
//!   enrollments (a trigger; booking already holds that row's lock);
//! - `catalogue_version.generation` moves with every other change a card
//!   shows: a course's own fields, its slots and teachers, a teacher's
//!   profile, a person's name. Those are the office's and the teachers'
//!   edits, a few a day.
//!
//! The version a server reads is `(generation, sum of seat_version)`: both
//! only grow while courses exist, and removing a course moves the generation.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, events, condition) whose rows a card shows, apart from enrollments.
const CARD_SOURCES: [(&str, &str, &str); 7] = [
    ("courses", "INSERT", ""),
    ("courses", "DELETE", ""),
    // A booking's own `seat_version` bump is not an edit of the course.
    ("courses", "UPDATE", "OLD.seat_version = NEW.seat_version"),
    ("course_slots", "INSERT OR UPDATE OR DELETE", ""),
    ("course_teachers", "INSERT OR UPDATE OR DELETE", ""),
    ("teachers", "UPDATE OR DELETE", ""),
    ("users", "UPDATE", "OLD.full_name <> NEW.full_name"),
];

fn trigger_name(table: &str, events: &str) -> String {
    format!("catalogue_{table}_{}", events.split(" OR ").map(|e| &e[..1]).collect::<String>().to_lowercase())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE TABLE IF NOT EXISTS catalogue_version (id INTEGER PRIMARY KEY, generation BIGINT NOT NULL)",
        )
        .await?;
        db.execute_unprepared("INSERT INTO catalogue_version (id, generation) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM catalogue_version)")
            .await?;
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE OR REPLACE FUNCTION catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN UPDATE catalogue_version SET generation = generation + 1; RETURN NULL; END $$",
                )
                .await?;
                db.execute_unprepared(
                    "CREATE OR REPLACE FUNCTION course_seats_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN
                       IF TG_OP IN ('UPDATE', 'DELETE') THEN
                         UPDATE courses SET seat_version = seat_version + 1 WHERE id = OLD.course_id;
                       END IF;
                       IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.course_id <> OLD.course_id) THEN
                         UPDATE courses SET seat_version = seat_version + 1 WHERE id = NEW.course_id;
                       END IF;
                       RETURN NULL;
                     END $$",
                )
                .await?;
                for (table, events, condition) in CARD_SOURCES {
                    let name = trigger_name(table, events);
                    let when = if condition.is_empty() { String::new() } else { format!("WHEN ({condition})") };
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name} ON {table}")).await?;
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH ROW {when} EXECUTE FUNCTION catalogue_changed()"
                    ))
                    .await?;
                }
                db.execute_unprepared("DROP TRIGGER IF EXISTS catalogue_enrollments ON enrollments").await?;
                db.execute_unprepared(
                    "CREATE TRIGGER catalogue_enrollments AFTER INSERT OR UPDATE OR DELETE ON enrollments
                     FOR EACH ROW EXECUTE FUNCTION course_seats_changed()",
                )
                .await?;
            }
            _ => {
                // SQLite: one trigger per event, no functions.
                for (table, events, condition) in CARD_SOURCES {
                    for event in events.split(" OR ") {
                        let name = trigger_name(table, event);
                        let when = if condition.is_empty() { String::new() } else { format!("WHEN {condition}") };
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} FOR EACH ROW {when}
                             BEGIN UPDATE catalogue_version SET generation = generation + 1; END"
                        ))
                        .await?;
                    }
                }
                for (event, courses) in [
                    ("INSERT", "NEW.course_id"),
                    ("UPDATE", "OLD.course_id, NEW.course_id"),
                    ("DELETE", "OLD.course_id"),
                ] {
                    let name = trigger_name("enrollments", event);
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON enrollments FOR EACH ROW
                         BEGIN UPDATE courses SET seat_version = seat_version + 1 WHERE id IN ({courses}); END"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let postgres = db.get_database_backend() == DbBackend::Postgres;
        let mut triggers: Vec<(String, &str)> = Vec::new();
        for (table, events, _) in CARD_SOURCES {
            if postgres {
                triggers.push((trigger_name(table, events), table));
            } else {
                triggers.extend(events.split(" OR ").map(|event| (trigger_name(table, event), table)));
            }
        }
        if postgres {
            triggers.push(("catalogue_enrollments".into(), "enrollments"));
        } else {
            triggers.extend(["INSERT", "UPDATE", "DELETE"].map(|event| (trigger_name("enrollments", event), "enrollments")));
        }
        for (name, table) in triggers {
            let on = if postgres { format!(" ON {table}") } else { String::new() };
            db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}{on}")).await?;
        }
        if postgres {
            db.execute_unprepared("DROP FUNCTION IF EXISTS catalogue_changed(); DROP FUNCTION IF EXISTS course_seats_changed()").await?;
        }
        db.execute_unprepared("DROP TABLE IF EXISTS catalogue_version").await?;
        Ok(())
    }
}
