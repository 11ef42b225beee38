# Words of the appendices' tables (methodology, replication, codebook), in English.
table-empty = Nothing to show in this edition.
# --- methodology: waves, cleaning, panels --------------------------------------------------
appendix-col-wave = Wave
appendix-col-fieldwork = Fieldwork
appendix-col-delivered = Rows delivered
appendix-col-eligible = Eligible respondents
appendix-col-step = Step
appendix-col-sample-code = Sample code (estimates.csv)
appendix-col-answered-waves = Answered waves
appendix-col-respondents = Respondents
appendix-col-next-wave = Answered the next wave
appendix-col-interval = 95% interval
appendix-col-from-to = From wave to wave
appendix-col-variable = Variable
appendix-col-answered = Answered next wave
appendix-col-did-not = Did not
appendix-col-n-answered = n (answered / not)
appendix-col-test = Test
appendix-see-test = see test
appendix-test-chi2 = chi-square
appendix-test-fisher = Fisher
appendix-test-mann_whitney = Mann–Whitney
appendix-test-welch_t = Welch t
# the cleaning rules of the exclusion flow, by the first words of the rule
appendix-flow-delivered = Delivered
appendix-flow-left-russia-before = Left Russia before 24 February 2022
appendix-flow-in-russia = In Russia and had not left (not a returnee)
appendix-flow-completed-less = Completed less than { PCT($share) } of the questionnaire
appendix-flow-duplicate = Duplicate answer pattern
appendix-flow-speeder = Speeder (under { PCT($share) } of the median duration)
appendix-flow-kept = Eligible respondents kept
# --- codebook ------------------------------------------------------------------------------
appendix-col-question-en = Question
appendix-col-question-ru = Вопрос
appendix-wave-short = W{ $wave }
appendix-derived = derived
# --- replication ---------------------------------------------------------------------------
replication-col-what = What was published
replication-col-wave = Wave
replication-col-sample = Sample
replication-col-published = Published
replication-col-recomputed = Recomputed (95% CI)
replication-col-check = Check
replication-col-id = Identifier
replication-col-reason = Reason
replication-col-detail = Detail
replication-none = No figure of this report can be recomputed from this edition.
replication-all-computed = Every published figure was recomputed.
replication-pp = { PP($value) }
replication-check-inside = inside
replication-check-outside = outside
replication-check-matches = matches
replication-check-differs = differs
replication-check-withheld = withheld
replication-reason-not_asked = not asked in the data
replication-reason-wave_later = wave not in this edition
replication-reason-no_sample = sample not available
replication-reason-no_statistic = statistic not supported
replication-reason-unclear = definition unclear
replication-wave-pre = before leaving
replication-wave-pooled = several waves pooled
replication-wave-unspecified = not stated
replication-sample-w1_all = everyone in wave 1
replication-sample-w1_contacts = wave 1 respondents who left contact details
replication-sample-combined_w2 = everyone in wave 2
replication-sample-combined_w3 = everyone in wave 3
replication-sample-combined_all = everyone in any wave
replication-sample-combined_unspec = everyone in waves the report does not name
replication-sample-panel_1_2 = answered waves 1 and 2
replication-sample-panel_1_3 = answered waves 1 and 3
replication-sample-panel_2_3 = answered waves 2 and 3
replication-sample-panel_1_2_3 = answered waves 1, 2 and 3
replication-sample-panel_2plus = answered at least two waves
replication-sample-unspecified = not named by the report
replication-group-country-other = other countries
replication-group-country-in-popular-non-Georgia = popular countries other than Georgia
replication-group-employed_ru_company_pre = worked for a Russian company before leaving
replication-group-employed_w1 = in work in wave 1
replication-group-income_cat_pre-4 = could afford large appliances before leaving
replication-group-income_cat_w2-2 = in wave 2, could afford food but not clothes
replication-group-learning_w2 = learning the local language in wave 2
replication-group-left_after_mobilization = left after the mobilization was announced
replication-group-left_before_mobilization = left before the mobilization
replication-group-left_contacts = left contact details
replication-group-post_vs_pre = left after against before the mobilization
replication-group-pre_vs_post = left before against after the mobilization
replication-group-responders_vs_nonresponders = answered the next wave against did not
replication-group-returnees = returned to Russia
replication-group-returnees_vs_stayers = returned to Russia against stayed abroad
replication-group-stayers_abroad = stayed abroad
replication-detail-transition = the report does not name the group the share is taken among
replication-detail-statistic = { $statistic ->
    [p_value] the p-value of a test that the report does not name
    [diff_pp] a gap between two groups of different people, which this page does not recompute
   *[other] a statistic that this page does not recompute
}
replication-detail-sample = { $sample ->
    [w1_contacts] the data do not record who left contact details in wave 1
    [combined_unspec] the report does not say which waves the sample pools
    [unspecified] the report names no sample
   *[other] the report's sample is not defined
}
replication-detail-later = needs wave { $wave }; this edition ends at wave { $last }
replication-detail-not-asked = wave { $wave } has no answers to the question “{ LABEL($variable) }”
replication-detail-no-variable = the data do not hold this question
replication-detail-count-subgroup = a count within this group is not defined
replication-detail-count = a count of this kind is not recomputed
replication-detail-pooled = the report does not say how the waves were pooled
replication-detail-wave-outside = wave { $wave } is not a wave of this sample
replication-detail-mean = a mean needs a single scale
replication-detail-which-wave = the report does not say which wave
replication-detail-two-waves = a change needs two waves
replication-detail-no-cut = the codebook does not say which answers of “{ LABEL($variable) }” to count
replication-detail-earlier = a return needs an earlier wave
replication-detail-subgroup = the group is not defined
replication-detail-change-panel = a change needs the same people in both waves
