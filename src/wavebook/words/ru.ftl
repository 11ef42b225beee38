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
# доля, выборки и скрытые группы (SHARE, SAMPLES, GROUPS)
wb-share = { PCT($value) } ({ CI($low, $high) }, n{"\u00a0"}={"\u00a0"}{ N($n) })
wb-sample = { $label } ({ $counts })
wb-sample-n = волна { $wave }: n{"\u00a0"}={"\u00a0"}{ N($n) }
# предложения, общие для многих глав
samples-caption = Выборки: { SAMPLES($samples) }.
withheld-note = { COUNT($withheld) ->
    [0] {""}
   *[other] Не показаны (скрыты: меньше { N($min_n) } { $min_n ->
        [one] респондента
       *[other] респондентов
    } или группа, по которой можно узнать человека): { GROUPS($withheld) }.
}
not-asked = { $label }: в волне { $wave } не спрашивали.
