# Слова графиков главы о дискриминации (подписи осей).
discrimination-axis-any = Сталкивались с дискриминацией, %
discrimination-axis-institutional = Дискриминация со стороны организаций, %
discrimination-axis-interpersonal = Дискриминация со стороны местных жителей, %
discrimination-axis-fear = Опасаются дискриминации, %
