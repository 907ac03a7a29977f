Attribute VB_Name = "rosxl"
' rosxl: the template's own macros (written for rosxl, not generated). "rosxl template -o ROS.xlsm"
' puts this module into the workbook next to xlwings_udfs.bas, with the ribbon tab «ROS» whose buttons
' call the two Ros...Baand subs below; a workbook made by hand imports it and attaches the macros to buttons.
Option Explicit

' Knapp «Beregn på nytt»: recalculate everything, the ros_* functions included.
Public Sub RosBeregnPaNytt()
    Application.CalculateFull
End Sub

' Knapp «Frys verdier»: replace every ros_* formula in the workbook by its current value, so that
' colleagues without Python (Mac, Excel on the web, LibreOffice) read the same classes and zones.
' The same as "rosxl freeze" on the command line. Save a copy first: the formulas are gone.
Public Sub RosFrysVerdier()
    Dim ws As Worksheet, cell As Range, formulas As Range, count As Long
    If MsgBox("Erstatte alle ros_-formler med verdiene sine?" & vbCrLf & _
              "Lagre gjerne en kopi først: formlene kan ikke hentes tilbake.", _
              vbOKCancel + vbQuestion, "Frys verdier") <> vbOK Then Exit Sub
    Application.CalculateFull
    For Each ws In ThisWorkbook.Worksheets
        Set formulas = Nothing
        On Error Resume Next
        Set formulas = ws.UsedRange.SpecialCells(xlCellTypeFormulas)
        On Error GoTo 0
        If Not formulas Is Nothing Then
            For Each cell In formulas.Cells
                If IsRosFormula(cell) Then
                    FreezeCell cell
                    count = count + 1
                End If
            Next cell
        End If
    Next ws
    MsgBox count & " ros_-formler er erstattet med verdiene sine.", vbInformation, "Frys verdier"
End Sub

' The ribbon tab «ROS» (customUI in the workbook) calls these with the button as argument.
Public Sub RosBaandBeregnPaNytt(control As IRibbonControl)
    RosBeregnPaNytt
End Sub

Public Sub RosBaandFrysVerdier(control As IRibbonControl)
    RosFrysVerdier
End Sub

' A formula that calls a ros_ function anywhere: "=ros_sone(...)" as well as a guarded
' "=IF(ISNUMBER(G2),G2,ros_sannsynlighet(G2,ros_kriterier_token))".
Private Function IsRosFormula(ByVal cell As Range) As Boolean
    Dim f As String
    If Not cell.HasFormula Then Exit Function
    f = LCase$(Replace(cell.Formula, " ", ""))
    IsRosFormula = f Like "*ros_*(*"
End Function

Private Sub FreezeCell(ByVal cell As Range)
    Dim spill As Range
    ' Excel 365: a function that returns a table spills from its cell.
    On Error Resume Next
    If cell.HasSpill Then Set spill = cell.SpillingToRange
    On Error GoTo 0
    If Not spill Is Nothing Then
        spill.Value = spill.Value
    ElseIf cell.HasArray Then
        cell.CurrentArray.Value = cell.CurrentArray.Value
    Else
        cell.Value = cell.Value
    End If
End Sub
