# Слова графиков главы о правовом положении (подписи осей и подсказок).
legal-status-axis-country = Положение устойчиво, %
legal-status-axis-answers = Доля ответов, %
legal-status-chart-answer = Ответ
legal-status-chart-group-n = n (группа)
