# Слова таблиц приложений (методика, воспроизведение, кодбук), по-русски.
table-empty = В этом выпуске показать нечего.
# --- методика: волны, очистка, панели --------------------------------------------------------
appendix-col-wave = Волна
appendix-col-fieldwork = Сроки опроса
appendix-col-delivered = Получено анкет
appendix-col-eligible = Подходящих респондентов
appendix-col-step = Шаг
appendix-col-sample-code = Код выборки (estimates.csv)
appendix-col-answered-waves = Ответили в волнах
appendix-col-respondents = Респондентов
appendix-col-next-wave = Ответили в следующей волне
appendix-col-interval = 95{"\u00a0"}% ДИ
appendix-col-from-to = Из волны в волну
appendix-col-variable = Переменная
appendix-col-answered = Ответили в следующей волне
appendix-col-did-not = Не ответили
appendix-col-n-answered = n (ответили / нет)
appendix-col-test = Критерий
appendix-see-test = см. критерий
appendix-test-chi2 = хи-квадрат
appendix-test-fisher = Фишера
appendix-test-mann_whitney = Манна — Уитни
appendix-test-welch_t = t Уэлча
# правила очистки, по первым словам правила
appendix-flow-delivered = Получено
appendix-flow-left-russia-before = Уехали из России до 24 февраля 2022 года
appendix-flow-in-russia = В России и не уезжали (не вернувшиеся)
appendix-flow-completed-less = Заполнили меньше { PCT($share) } анкеты
appendix-flow-duplicate = Повторяющийся набор ответов
appendix-flow-speeder = Слишком быстро (меньше { PCT($share) } медианного времени)
appendix-flow-kept = Осталось подходящих респондентов
# --- кодбук --------------------------------------------------------------------------------
appendix-col-question-en = Question
appendix-col-question-ru = Вопрос
appendix-wave-short = В{ $wave }
appendix-derived = производная
# --- воспроизведение -----------------------------------------------------------------------
replication-col-what = Что опубликовано
replication-col-wave = Волна
replication-col-sample = Выборка
replication-col-published = В отчёте
replication-col-recomputed = Пересчёт (95{"\u00a0"}% ДИ)
replication-col-check = Проверка
replication-col-id = Идентификатор
replication-col-reason = Причина
replication-col-detail = Подробности
replication-none = Ни одно число этого отчёта нельзя пересчитать по данным этого выпуска.
replication-all-computed = Все опубликованные числа пересчитаны.
replication-pp = { PP($value) }
replication-check-inside = в интервале
replication-check-outside = вне интервала
replication-check-matches = совпадает
replication-check-differs = расходится
replication-check-withheld = скрыто
replication-reason-not_asked = вопроса нет в данных
replication-reason-wave_later = волны нет в этом выпуске
replication-reason-no_sample = выборку не восстановить
replication-reason-no_statistic = статистика не пересчитывается
replication-reason-unclear = определение неясно
replication-wave-pre = до отъезда
replication-wave-pooled = несколько волн вместе
replication-wave-unspecified = не указана
replication-sample-w1_all = все участники волны 1
replication-sample-w1_contacts = участники волны 1, оставившие контакты
replication-sample-combined_w2 = все участники волны 2
replication-sample-combined_w3 = все участники волны 3
replication-sample-combined_all = все участники любой волны
replication-sample-combined_unspec = участники волн, которые отчёт не называет
replication-sample-panel_1_2 = ответили в волнах 1 и 2
replication-sample-panel_1_3 = ответили в волнах 1 и 3
replication-sample-panel_2_3 = ответили в волнах 2 и 3
replication-sample-panel_1_2_3 = ответили в волнах 1, 2 и 3
replication-sample-panel_2plus = ответили хотя бы в двух волнах
replication-sample-unspecified = отчёт не называет выборку
replication-group-country-other = другие страны
replication-group-country-in-popular-non-Georgia = популярные страны, кроме Грузии
replication-group-employed_ru_company_pre = до отъезда работали в российской компании
replication-group-employed_w1 = работали в волне 1
replication-group-income_cat_pre-4 = до отъезда могли позволить себе крупную бытовую технику
replication-group-income_cat_w2-2 = в волне 2 хватало на еду, но не на одежду
replication-group-learning_w2 = учили местный язык в волне 2
replication-group-left_after_mobilization = уехали после объявления мобилизации
replication-group-left_before_mobilization = уехали до мобилизации
replication-group-left_contacts = оставили контакты
replication-group-post_vs_pre = уехавшие после мобилизации против уехавших до неё
replication-group-pre_vs_post = уехавшие до мобилизации против уехавших после неё
replication-group-responders_vs_nonresponders = ответившие в следующей волне против не ответивших
replication-group-returnees = вернулись в Россию
replication-group-returnees_vs_stayers = вернувшиеся в Россию против оставшихся за границей
replication-group-stayers_abroad = остались за границей
replication-detail-transition = отчёт не называет группу, среди которой считается доля
replication-detail-statistic = { $statistic ->
    [p_value] p-значение критерия, который отчёт не называет
    [diff_pp] разница между двумя группами разных людей; эта страница её не пересчитывает
   *[other] эта страница не пересчитывает такую статистику
}
replication-detail-sample = { $sample ->
    [w1_contacts] в данных не отмечено, кто оставил контакты в волне 1
    [combined_unspec] отчёт не говорит, какие волны входят в выборку
    [unspecified] отчёт не называет выборку
   *[other] выборка отчёта не определена
}
replication-detail-later = нужна волна { $wave }, а этот выпуск заканчивается волной { $last }
replication-detail-not-asked = в волне { $wave } нет ответов на вопрос «{ LABEL($variable) }»
replication-detail-no-variable = в данных нет этого вопроса
replication-detail-count-subgroup = подсчёт внутри этой группы не определён
replication-detail-count = такой подсчёт не выполняется
replication-detail-pooled = отчёт не говорит, как объединены волны
replication-detail-wave-outside = волна { $wave } не входит в эту выборку
replication-detail-mean = для среднего нужна одна шкала
replication-detail-which-wave = отчёт не говорит, какая это волна
replication-detail-two-waves = для изменения нужны две волны
replication-detail-no-cut = кодбук не говорит, какие ответы на вопрос «{ LABEL($variable) }» считать
replication-detail-earlier = для возвращения нужна более ранняя волна
replication-detail-subgroup = группа не определена
replication-detail-change-panel = для изменения нужны одни и те же люди в обеих волнах
