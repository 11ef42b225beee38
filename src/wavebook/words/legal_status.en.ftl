# Chart words of the legal_status chapter (axis and tooltip titles).
legal-status-axis-country = Rights feel stable, %
legal-status-axis-answers = Share of answers, %
legal-status-chart-answer = Answer
legal-status-chart-group-n = n (group)
