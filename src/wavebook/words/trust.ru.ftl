# Глава о доверии: слова её графиков и таблиц (русский). Её предложения — в
# notebooks/ru/trust.md.
trust-axis-general = Большинству людей можно доверять, %
trust-axis-items = Доверяют, %
# таблица изменений в панелях
trust-col-item = Вопрос
trust-col-change = Изменение, п.{"\u00a0"}п. (95{"\u00a0"}% ДИ)
trust-col-mcnemar = p (Макнемар)
trust-col-signed-rank = p (Уилкоксон)
trust-col-pairs = Число пар
trust-cell-change = { $change } ({ $range })
trust-cell-na = неприменимо
trust-cell-withheld = скрыто
# таблица ориентиров (совокупности и источники — по слагу их названия в benchmarks.csv)
trust-col-population = Совокупность
trust-col-general = Большинству людей можно доверять
trust-col-source = Источник
trust-col-year = Год
trust-col-versus = Доля в этом опросе
trust-bench-this-survey = Этот опрос, все респонденты { $wave }-й волны
trust-bench-this-source = wavebook (это издание)
trust-bench-russia = Взрослое население России
trust-bench-germany = Взрослое население Германии
trust-bench-world-values-survey-wave-6 = Всемирное исследование ценностей (6-я волна)
trust-bench-world-values-survey-wave-7 = Всемирное исследование ценностей (7-я волна)
trust-bench-versus = { $versus ->
    [above] выше
    [below] ниже
    [within] в пределах интервала
   *[other] несопоставима
}
# точечный график по возрастным группам
trust-age-tick = { $group } (n{"\u00a0"}={"\u00a0"}{ $n })
trust-age-alt-group = { $group } — { PCT($value) }
trust-age-alt = Точечный график: доля считающих, что большинству людей можно доверять, по возрастным группам, с 95-процентными интервалами: { $groups }.
