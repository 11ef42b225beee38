# Words of the chapter "Before and after the mobilization" (English): the two groups, chart and
# table words, and the labels of the constructs the codebook does not hold (value: the long
# form for charts and tables; .phrase: inside a sentence).
mob-group-left_before_mobilization = Left before the announcement (24 Feb – 20 Sep 2022)
mob-group-left_after_mobilization = Left after the announcement (from 21 Sep 2022)
mob-col-item = Item
mob-col-pre = Left before
mob-col-post = Left after
mob-col-n = n (before / after)
mob-col-diff = Difference
mob-col-p = p
mob-cell-withheld = withheld
mob-cell-empty = no respondent
mob-cell-pp = { PP($value) } ({ $bounds })
mob-cell-years = { $value } years ({ $low } to { $high })
mob-cell-fisher = { $p } (Fisher)
mob-table-empty = Not asked in this wave.
# labels of the compared items
mob-age = Mean age, years
    .phrase = age
mob-education_higher = Higher or postgraduate education
    .phrase = people with higher education
mob-city_size_large = From a city of a million or more
    .phrase = people from a city of a million or more
mob-income_cat_pre_car = Could afford a car before leaving
    .phrase = people who could afford a car before leaving
mob-civpol_any = Any of the activities below
    .phrase = any civic or political activity
mob-civ_volunteer = Did volunteer work
    .phrase = volunteer work
mob-civ_help_ukr_refugees = Helped Ukrainian refugees
    .phrase = help to Ukrainian refugees
mob-civ_help_ru_migrants = Helped other emigrants from Russia
    .phrase = help to other emigrants from Russia
mob-civ_donate_ru_ngo_media = Donated to independent Russian NGOs or media
    .phrase = donations to independent Russian NGOs or media
mob-civ_donate_local_ngo_media = Donated to NGOs or media of the host country
    .phrase = donations to host-country NGOs or media
mob-pol_digital = Political posts on social media, petitions, open letters
    .phrase = political posts and petitions
mob-pol_rally = Rallies, demonstrations or other public actions
    .phrase = rallies and other public actions
mob-prewar_activism_any = Any activity before the war
    .phrase = activism before the war
mob-repression_experienced_any = Any of the forms below
    .phrase = any form of repression
