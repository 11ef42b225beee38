# Слова графиков и таблиц главы об активизме (русский); её предложения — в самой главе.
# Подписи показателей «хотя бы одна активность», которых нет в кодбуке (значение — полная
# форма; .short — графики и таблицы; .phrase — внутри предложения).
civ_any = Хотя бы одна гражданская активность
    .phrase = хотя бы одна гражданская активность
pol_any = Хотя бы одна политическая активность
    .phrase = хотя бы одна политическая активность
civpol_both = Хотя бы одна гражданская и одна политическая активность
    .phrase = хотя бы одна гражданская и одна политическая активность
activism-axis = Отметили активность, %
activism-col-activity = Активность
activism-col-share = Доля
activism-col-interval = 95{"\u00a0"}% ДИ
activism-col-waves = Волны
activism-col-pairs = Пары
activism-col-shares = Доли
activism-col-change = Изменение, п.{"\u00a0"}п. (95{"\u00a0"}% ДИ)
activism-col-p = p
activism-col-reading = Вывод
activism-reading-up = выросла
activism-reading-down = снизилась
activism-reading-flat = статистически незначимо
activism-reading-withheld = скрыто (n < { N($min_n) })
activism-withheld = скрыто
activism-empty = В этом выпуске не задавался.
