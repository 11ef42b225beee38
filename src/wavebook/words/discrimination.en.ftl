# Chart words of the discrimination chapter (axis titles).
discrimination-axis-any = Experienced discrimination, %
discrimination-axis-institutional = Discrimination by organisations, %
discrimination-axis-interpersonal = Discrimination by local people, %
discrimination-axis-fear = Afraid of discrimination, %
