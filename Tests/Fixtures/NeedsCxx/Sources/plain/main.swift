print("plain: no C, no C++")
