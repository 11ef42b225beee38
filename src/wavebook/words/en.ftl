# Words every chapter shares (English). Used by wavebook.words for numbers and by the charts.
pp = pp
ci = 95% CI { $range }
range-signed = { $low } to { $high }
wave-label = Wave { $number }
synthetic-banner = Synthetic demonstration data: every number in this book is invented and says nothing about real people.
synthetic-title-note = synthetic demonstration data
twin-link = Read in English
