print("wirelab")
