import CxxLib
print(cxxlib_answer())
