# Words of the chapter "Who the respondents are" (English): chart and table words, and the
# labels of its items (value: the table's long form; .short: the chart's; .phrase: inside a
# sentence) and of its topics.
pt-col-item = Characteristic
pt-col-respondents = Respondents (95% CI)
pt-col-source = Source, year
pt-cell-withheld = withheld
pt-table-empty = No data.
pt-years = { NUM($value, digits: 0) } years
pt-bench-cell = { $value } ({ $side ->
    [below] below
    [above] above
   *[inside] inside
})
pt-source = { $source }, { $year }{ $inferred ->
    [yes] ; source inferred
   *[no] {""}
}
pt-population-russia = Russia
pt-population-germany = Germany
pt-respondents = Respondents, wave { $wave }
pt-this-survey = this survey
pt-chart-who = Who
pt-chart-value = Value
pt-chart-source = Source
pt-chart-age = Mean age, years
# items
pt-age = Age: mean, years
    .short = Mean age
    .phrase = mean age
pt-gender = Gender: female
    .short = Female
    .phrase = women
pt-education = Higher or postgraduate education
    .short = Higher education
    .phrase = higher education
pt-city_size = Lived in Moscow, St Petersburg or another city of a million or more
    .short = City of a million or more
    .phrase = a city of a million or more
pt-marital_status = Married or living with a partner
    .phrase = married or living with a partner
pt-has_children = Has children
    .phrase = children
pt-income_cat_pre = Before leaving, the household could afford a car (ladder steps 5–6)
    .short = Could afford a car
    .phrase = could afford a car
pt-prewar_activism_any = Before the war: any of the activities asked about
    .short = Any of these activities
    .phrase = any of these activities
pt-prewar_activism_rally = Before the war: took part in rallies
    .short = Took part in rallies
    .phrase = took part in rallies
pt-prewar_activism_donate = Before the war: donated to NGOs
    .short = Donated to NGOs
    .phrase = donated to NGOs
pt-prewar_activism_petition = Before the war: signed petitions
    .short = Signed petitions
    .phrase = signed petitions
pt-prewar_activism_posts = Before the war: posted about politics on social media
    .short = Posted about politics on social media
    .phrase = posted about politics on social media
pt-prewar_activism_volunteer = Before the war: volunteered
    .short = Volunteered
    .phrase = volunteered
pt-trust_ru_president_none = Trust in the President of Russia: does not deserve trust at all
    .short = President: does not deserve trust at all
    .phrase = does not deserve trust at all
pt-trust_ru_president = Trust in the President of Russia: fully deserves trust
    .short = President: fully deserves trust
    .phrase = fully deserves trust
pt-trust_ru_government_none = Trust in the Government of Russia: does not deserve trust at all
    .short = Government: does not deserve trust at all
    .phrase = does not deserve trust at all
pt-trust_ru_government = Trust in the Government of Russia: fully deserves trust
    .short = Government: fully deserves trust
    .phrase = fully deserves trust
pt-ga_men_better_execs = “On the whole, men make better business executives than women do”: disagree or strongly disagree
    .short = On the whole, men make better business executives than women do
    .phrase = men make better business executives than women
pt-ga_men_jobs_priority = “When jobs are scarce, men should have more right to a job than women”: disagree or strongly disagree
    .short = When jobs are scarce, men should have more right to a job than women
    .phrase = men should have more right to a job than women when jobs are scarce
# topics (.short: after "about"; .phrase: what the chapter describes)
pt-topic-profile = Age, gender, education, place of origin, family and material situation
    .short = age, gender, education, place of origin, family and material situation
    .phrase = their age, gender, education, the place they came from, their family and their material situation before leaving
pt-topic-prewar = Political activity before the war
    .short = political activity before the war
    .phrase = their political activity before the war
pt-topic-trust = Trust in the Russian president and government
    .short = trust in the Russian president and government
    .phrase = their trust in the Russian president and government
pt-topic-gender = Views on the roles of men and women
    .short = views on the roles of men and women
    .phrase = their views on the roles of men and women
