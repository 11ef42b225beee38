# Слова разбивок по странам (topics/host_country.py) для глав legal_status и discrimination:
# названия групп стран, которых нет среди кодов кодбука.
country-other = Другие страны
    .phrase = другие страны
country-all = Все страны
    .phrase = все страны
