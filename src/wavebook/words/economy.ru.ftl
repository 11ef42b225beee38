# Слова графиков и таблиц главы «Доходы и работа» (русский) и названия её производных
# показателей. Загружаются вместе с общими словами для графиков и таблиц главы.
economy-before-leaving = До отъезда
economy-when = Когда
economy-car-axis = Могут купить как минимум автомобиль, %
economy-russian-axis = Работают в российской компании, %
economy-moves-axis = Доля среди работавших в российской компании до отъезда, %
economy-row-share = % строки
economy-row-n = n строки
economy-from = Было
economy-to = Стало
economy-ladder-x = Ступень в { $wave }-й волне
economy-ladder-y = Ступень до отъезда
economy-panel-x = Ступень в { $wave }-й волне
economy-panel-y = Ступень в { $previous }-й волне
economy-withheld = скрыто
economy-table-from = Ступень до отъезда
economy-table-to = → { $code }
economy-steps-change = Изменение после отъезда
economy-steps-share = Доля
economy-steps-interval = 95{"\u00a0"}% ДИ
# производный показатель: сдвиг по лестнице после отъезда (income_cat − income_cat_pre)
income_change_fell_3plus = Опустились на три ступени и больше
income_change_fell_2 = Опустились на две ступени
income_change_fell_1 = Опустились на одну ступень
income_change_same = Остались на прежней ступени
income_change_rose = Поднялись
