//! The audit log: who changed what in the office, newest first.
use super::{
    AuditEntry, AuditQuery, Page,
    frame::{OfficePage, Pager, page_param},
    load_audit,
};
use crate::{
    domain::ru,
    ui::{ActionEpoch, DataTable, FilterForm, FilterSearch, FilterSelect, Loading, result_view, url_encode},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        AuditQuery {
            entity: p.get("entity").unwrap_or_default(),
            record: p.get("record").unwrap_or_default(),
            actor: p.get("actor").unwrap_or_default(),
            page: page_param(p.get("page")),
        }
    });
    let epoch = expect_context::<ActionEpoch>();
    let log = Resource::new(move || (query.get(), epoch.0.get()), |(q, _)| load_audit(q));
    view! {
        <OfficePage title="Журнал изменений">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let q = query.get_untracked();
                    result_view(log.await, move |p| view! { <AuditView p q /> })
                })}
            </Suspense>
        </OfficePage>
    }
}

#[component]
fn AuditView(p: Page<AuditEntry>, q: AuditQuery) -> impl IntoView {
    let kinds = [("user", "Учётные записи"), ("teacher", "Педагоги"), ("course", "Курсы"), ("show", "Спектакли")];
    let pager_base = format!(
        "/admin/audit?entity={}&record={}&actor={}",
        url_encode(&q.entity),
        url_encode(&q.record),
        url_encode(&q.actor)
    );
    let rows = p
        .items
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{format!("{} {} UTC", e.at.date_naive(), ru::time(e.at.time()))}</td>
                    <td>{e.actor}</td>
                    <td>{format!("{} {} #{}", e.action, e.entity, e.entity_id.map(|i| i.to_string()).unwrap_or_default())}</td>
                    <td><code class="changes">{e.changes}</code></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <FilterForm action="/admin/audit" inline=true>
            <FilterSelect label="Что менялось" name="entity" any="Всё">
                {kinds.into_iter().map(|(v, l)| view! { <option value=v selected=q.entity == v>{l}</option> }).collect_view()}
            </FilterSelect>
            <div class="field">
                <label for="f-record">"Номер записи"</label>
                <input id="f-record" type="number" min="1" name="record" value=q.record.clone() />
            </div>
            <FilterSearch label="Кто менял" name="actor" value=q.actor.clone() />
        </FilterForm>
        <DataTable caption="Журнал изменений" headers=&["Когда", "Кто", "Что", "Изменения (было → стало)"]>{rows}</DataTable>
        <Pager page=p.page pages=p.pages total=p.total href=move |n| format!("{pager_base}&page={n}") />
    }
}
