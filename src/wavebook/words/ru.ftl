# Общие слова всех глав (русский). Их берут wavebook.words для чисел и графики.
wb-pp = п.{"\u00a0"}п.
wb-ci = 95{"\u00a0"}% ДИ: { $range }
wb-range-signed = от { $low } до { $high }
wave-label = Волна { $number }
synthetic-banner = Синтетические демонстрационные данные: все числа в этой книге выдуманы и ничего не говорят о реальных людях.
synthetic-title-note = синтетические демонстрационные данные
twin-link = Читать по-русски
# графики
chart-data-link = Данные графика (CSV)
chart-wave = Волна
chart-sample = Выборка
chart-group = Группа
chart-item = Вопрос
chart-share = Доля, %
chart-ci-from = 95{"\u00a0"}% ДИ: от
chart-ci-to = 95{"\u00a0"}% ДИ: до
sample-combined = Все респонденты каждой волны
sample-panel = { $count ->
    [1] Ответили в волне { $last }
   *[other] Ответили в волнах { $waves } и { $last }
}
