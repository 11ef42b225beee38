# Words every chapter shares (English). Used by wavebook.words for numbers and by the charts.
wb-pp = pp
wb-ci = 95% CI { $range }
wb-range-signed = { $low } to { $high }
wave-label = Wave { $number }
synthetic-banner = Synthetic demonstration data: every number in this book is invented and says nothing about real people.
synthetic-title-note = synthetic demonstration data
twin-link = Read in English
# charts
chart-data-link = Data of this chart (CSV)
chart-wave = Wave
chart-sample = Sample
chart-group = Group
chart-item = Item
chart-share = Share, %
chart-ci-from = 95% CI from
chart-ci-to = 95% CI to
sample-combined = All respondents of each wave
sample-panel = { $count ->
    [1] Answered wave { $last }
   *[other] Answered waves { $waves } and { $last }
}
# a share, samples and withheld groups (SHARE, SAMPLES, GROUPS)
wb-share = { PCT($value) } ({ CI($low, $high) }, n = { N($n) })
wb-sample = { $label } ({ $counts })
wb-sample-n = wave { $wave } n = { N($n) }
# sentences many chapters share
samples-caption = Samples: { SAMPLES($samples) }.
withheld-note = { COUNT($withheld) ->
    [0] {""}
   *[other] Not shown (withheld: fewer than { N($min_n) } respondents, or a group that would reveal one): { GROUPS($withheld) }.
}
not-asked = { $label }: not asked in wave { $wave }.
