import json, numpy as np, sys
from scipy.optimize import milp, LinearConstraint, Bounds
from scipy.sparse import lil_matrix
d = json.load(open(sys.argv[1])); integral = len(sys.argv) > 2
n = len(d['ids']); dept = d['dept']; R = len(d['rounds'])
vars_ = []
for r, rd in enumerate(d['rounds']):
    av = rd['av']
    for i in range(len(av)):
        for j in range(i+1, len(av)):
            a, b = av[i], av[j]
            if dept[a] != dept[b]: vars_.append((r, min(a,b), max(a,b), rd['w'][a][b]))
V = len(vars_)
rows = []
# per round per person <=1 ; per round total pairs == floor(n_r/2); per edge sum over rounds <= 1
A = lil_matrix((R*n + R + n*n, V)); lo = []; hi = []
for k, (r, a, b, w) in enumerate(vars_):
    A[r*n+a, k] = 1; A[r*n+b, k] = 1; A[R*n + r, k] = 1; A[R*n+R + a*n+b, k] = 1
lo = [0]*(R*n) + [len(rd['av'])//2 for rd in d['rounds']] + [0]*(n*n)
hi = [1]*(R*n) + [len(rd['av'])//2 for rd in d['rounds']] + [1]*(n*n)
c = -np.array([v[3] for v in vars_])
res = milp(c, constraints=LinearConstraint(A.tocsr(), lo, hi), integrality=np.ones(V) if integral else np.zeros(V), bounds=Bounds(0,1), options={'time_limit': 120})
groups = sum(len(rd['av'])//2 for rd in d['rounds'])
print(res.status, -res.fun, 'groups', groups, 'avg', -res.fun/groups)
