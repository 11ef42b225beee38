# Chart and table words of the activism chapter (English); its sentences are in the chapter.
# Labels of the "any activity" indicators the codebook does not hold (value: long; .short:
# charts and tables; .phrase: inside a sentence).
civ_any = At least one civic activity
    .phrase = at least one civic activity
pol_any = At least one political activity
    .phrase = at least one political activity
civpol_both = At least one civic and one political activity
    .phrase = at least one civic and one political activity
activism-axis = Ticked the activity, %
activism-col-activity = Activity
activism-col-share = Share
activism-col-interval = 95% interval
activism-col-waves = Waves
activism-col-pairs = Pairs
activism-col-shares = Shares
activism-col-change = Change, pp (95% CI)
activism-col-p = p
activism-col-reading = Reading
activism-reading-up = rose
activism-reading-down = fell
activism-reading-flat = not significant
activism-reading-withheld = withheld (n < { N($min_n) })
activism-withheld = withheld
activism-empty = Not asked in this edition.
