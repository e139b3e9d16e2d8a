import CFrob

print("frob_answer(6): \(frob_answer(6))")
