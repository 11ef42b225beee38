# The trust chapter: words of its charts and tables (English). Its sentences are in
# notebooks/trust.md.
trust-axis-general = Most people can be trusted, %
trust-axis-items = Trusting, %
# the table of panel changes
trust-col-item = Item
trust-col-change = Change, pp (95% CI)
trust-col-mcnemar = McNemar p
trust-col-signed-rank = Signed-rank p
trust-col-pairs = Pairs
trust-cell-change = { $change } ({ $range })
trust-cell-na = n/a
trust-cell-withheld = withheld
# the table of benchmarks (populations and sources by the slug of their name in benchmarks.csv)
trust-col-population = Population
trust-col-general = Most people can be trusted
trust-col-source = Source
trust-col-year = Year
trust-col-versus = This survey is
trust-bench-this-survey = This survey, all respondents of wave { $wave }
trust-bench-this-source = wavebook (this edition)
trust-bench-russia = Adults in Russia
trust-bench-germany = Adults in Germany
trust-bench-world-values-survey-wave-6 = World Values Survey (wave 6)
trust-bench-world-values-survey-wave-7 = World Values Survey (wave 7)
trust-bench-versus = { $versus ->
    [above] above
    [below] below
    [within] within the interval of
   *[other] not comparable with
}
# the dot chart by age group
trust-age-tick = { $group } (n = { $n })
trust-age-alt-group = { $group }, { PCT($value) }
trust-age-alt = Dot chart of the share who say that most people can be trusted, by age group, with 95% intervals: { $groups }.
