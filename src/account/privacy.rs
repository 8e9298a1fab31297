//! The privacy policy (152-ФЗ) registration asks people to accept; the
//! office writes it on the dashboard.
use crate::{
    error::AppError,
    ui::{Loading, result_view},
};
use leptos::prelude::*;
use crate::seo::PublicHead;

/// Public: anyone may read what they are asked to agree to.
#[server(endpoint = "privacy")]
pub async fn load_privacy_policy() -> Result<String, AppError> {
    Ok(crate::server::settings::privacy_policy(&crate::server::state()?.db).await?)
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let policy = Resource::new(|| (), |_| load_privacy_policy());
    view! {
        <PublicHead
            title="Персональные данные"
            description="Как театральная школа обрабатывает и хранит персональные данные учеников."
            path="/privacy"
        />
        <section class="narrow prose">
            <h1>"Обработка персональных данных"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    result_view(policy.await, |text| {
                        text.split("\n\n")
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .map(|p| view! { <p>{p.to_string()}</p> })
                            .collect_view()
                    })
                })}
            </Suspense>
            <h2>"Данные детей"</h2>
            <p>
                "Данные ребёнка младше 18 лет школа обрабатывает только с согласия его родителя или законного "
                "представителя (ст. 9 Федерального закона № 152-ФЗ). Родитель даёт согласие, когда добавляет ребёнка "
                "в разделе «Семья»; мы храним, кто, когда и с какой редакцией этой политики согласился."
            </p>
            <p>
                "Фотографии ребёнка в портфолио публикуются только с отдельного согласия родителя; без него портфолио "
                "ребёнка закрыто, а его фотографии не попадают в превью ссылок и в данные для поисковых систем."
            </p>
            <p>
                "Заметки для педагога (здоровье, аллергии) видят только представители ребёнка, его педагоги и "
                "администрация школы; они не попадают в журнал действий, выгрузки и письма. Родитель может в любой "
                "момент изменить данные ребёнка или удалить их. В 18 лет ученик получает собственную учётную запись, "
                "и доступ родителей к ней прекращается."
            </p>
        </section>
    }
}
