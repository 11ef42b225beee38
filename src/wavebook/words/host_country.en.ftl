# Words of the host-country breakdowns (topics/host_country.py), shared by the legal_status
# and discrimination chapters: labels of the country groups that are not codebook codes.
country-other = Other countries
    .phrase = other countries
country-all = All countries
    .phrase = all countries
