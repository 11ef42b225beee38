# Chart and table words of the economy chapter (English), and the labels of its derived
# constructs. Loaded with the shared words for the chapter's figures and tables.
economy-before-leaving = Before leaving
economy-when = When
economy-car-axis = Can afford at least a car, %
economy-russian-axis = Employed by a Russian company, %
economy-moves-axis = Share of those employed by a Russian company before leaving, %
economy-row-share = % of row
economy-row-n = n of row
economy-from = From
economy-to = To
economy-ladder-x = Step in wave { $wave }
economy-ladder-y = Step before leaving
economy-panel-x = Step in wave { $wave }
economy-panel-y = Step in wave { $previous }
economy-withheld = withheld
economy-table-from = From
economy-table-to = To { $code }
economy-steps-change = Change since leaving
economy-steps-share = Share
economy-steps-interval = 95% interval
# derived construct: movement on the ladder since leaving (income_cat − income_cat_pre)
income_change_fell_3plus = Fell three or more steps
income_change_fell_2 = Fell two steps
income_change_fell_1 = Fell one step
income_change_same = Stayed on the same step
income_change_rose = Rose
